package dev.eekbp.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes namespaces and QEMU processes left by a test JVM that was killed
 * (SIGKILL skips shutdown hooks). Their names carry the owning JVM's pid;
 * only leftovers of dead JVMs are touched.
 */
final class StaleGuests {

    private static final Pattern OWNER = Pattern.compile(
            Pattern.quote(RunningGuest.NAME_PREFIX) + "(\\d+)-[0-9a-f]+");
    private static boolean swept;

    private StaleGuests() {
    }

    static synchronized void sweepOnce() {
        if (swept) {
            return;
        }
        swept = true;
        ProcessHandle.allProcesses().forEach(h -> {
            String cmd = h.info().commandLine().orElse("");
            if (cmd.contains("qemu-system") && ownerDead(cmd)) {
                Processes.killTree(h);
            }
        });
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(RunningGuest.NAME_PREFIX) && ownerDead(n)) {
                    HostCommand.run(List.of("ip", "netns", "del", n), Duration.ofSeconds(20));
                }
            }
        } catch (IOException e) {
            // No /run/netns: nothing was left behind.
        }
    }

    private static boolean ownerDead(String text) {
        Matcher m = OWNER.matcher(text);
        if (!m.find()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) || zombie(pid);
    }

    /** A killed JVM nobody reaped yet still "is alive" for ProcessHandle. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
