package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.ffi.TextScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of the module's polling threads (comm starting with a prefix,
 * "eekbp/" by default) from /proc/PID/stat utime and stime. discover() scans
 * /proc and allocates; sample() only re-reads the open stat files.
 */
public final class ThreadCpuReader implements AutoCloseable {
    /** USER_HZ: /proc reports times in 1/100 s on Linux. */
    static final double TICKS_PER_SECOND = 100.0;
    /** The module names its per-CPU threads "eekbp/N". */
    public static final String DEFAULT_PREFIX = "eekbp/";

    private final Path proc;
    private final String prefix;
    private String[] names = new String[0];
    private SysFile[] stats = new SysFile[0];
    private long[] utime = new long[0];
    private long[] stime = new long[0];
    private boolean stale;

    public ThreadCpuReader(Path proc, String prefix) {
        this.proc = proc;
        this.prefix = prefix;
    }

    /** A task of /proc: its /proc/PID folder and its comm. */
    public record Task(Path dir, String comm) {
        public int pid() {
            return Integer.parseInt(dir.getFileName().toString());
        }
    }

    /**
     * The tasks of {@code proc} (in folder-name order) whose comm passes
     * {@code which}; one that exits while we look is left out.
     */
    public static List<Task> tasks(Path proc, Predicate<String> which) throws IOException {
        List<Task> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(proc)) {
            for (Path p : s.sorted().toList()) {
                String pid = p.getFileName().toString();
                if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(p.resolve("comm")).strip();
                    if (which.test(comm)) {
                        out.add(new Task(p, comm));
                    }
                } catch (IOException e) {
                    // the process exited while we looked
                }
            }
        }
        return out;
    }

    /** Finds the threads anew (at start, and when one went away). */
    public void discover() throws IOException {
        closeFiles();
        List<String> n = new ArrayList<>();
        List<SysFile> f = new ArrayList<>();
        for (Task t : tasks(proc, comm -> comm.startsWith(prefix))) {
            try {
                f.add(SysFile.open(t.dir().resolve("stat"), 1024));
                n.add(t.comm());
            } catch (IOException e) {
                // the process exited while we looked
            }
        }
        names = n.toArray(new String[0]);
        stats = f.toArray(new SysFile[0]);
        utime = new long[names.length];
        stime = new long[names.length];
        stale = false;
    }

    /** Re-reads every thread's stat; a vanished thread marks the set stale. */
    public void sample() {
        for (int i = 0; i < stats.length; i++) {
            try {
                int len = stats[i].read();
                parseStat(stats[i], len, i);
            } catch (IOException e) {
                stale = true;
            }
        }
    }

    private void parseStat(SysFile f, int len, int i) {
        int close = -1;
        for (int k = len - 1; k >= 0; k--) {
            if (f.byteAt(k) == ')') {
                close = k;
                break;
            }
        }
        if (close < 0) {
            stale = true;
            return;
        }
        // after ") " come field 3 (state) ... field 14 utime, field 15 stime
        int p = close + 1;
        for (int field = 3; field < 14; field++) {
            p = TextScan.skipSpaces(f, p, len);
            p = TextScan.skipToken(f, p, len);
        }
        p = TextScan.skipSpaces(f, p, len);
        utime[i] = TextScan.parseUnsigned(f, p, len);
        p = TextScan.skipSpaces(f, TextScan.skipToken(f, p, len), len);
        stime[i] = TextScan.parseUnsigned(f, p, len);
    }

    /** True when a thread vanished since discover(). */
    public boolean stale() {
        return stale;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public double userSeconds(int i) {
        return utime[i] / TICKS_PER_SECOND;
    }

    public double systemSeconds(int i) {
        return stime[i] / TICKS_PER_SECOND;
    }

    private void closeFiles() {
        for (SysFile f : stats) {
            try {
                f.close();
            } catch (IOException e) {
                // nothing to flush on a procfs file
            }
        }
    }

    @Override
    public void close() {
        closeFiles();
        stats = new SysFile[0];
        names = new String[0];
    }
}
