package dev.eekbp.agent.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identifies the agent process named by the state file, so a signal never
 * reaches an unrelated process that reused the pid after a crash.
 */
public final class AgentProcess {
    private static final Path PROC = Path.of("/proc");

    private AgentProcess() {
    }

    /** Start time of a process in clock ticks since boot (/proc/PID/stat field 22), 0 if unknown. */
    public static long startTime(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]); // fields from 3 (state) on
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * True when {@code pid} runs and is the agent that wrote {@code st}: same
     * start time when recorded, and an eekbp command line either way.
     */
    public static boolean isAgent(RestoreState st) {
        long pid = st.pid();
        if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        if (st.startTime() != 0 && startTime(pid) != st.startTime()) {
            return false;
        }
        try {
            String cmd = new String(Files.readAllBytes(PROC.resolve(pid + "/cmdline")), StandardCharsets.UTF_8);
            return cmd.contains("eekbp") || pid == ProcessHandle.current().pid();
        } catch (IOException e) {
            return false;
        }
    }
}
