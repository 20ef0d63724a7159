package dev.eekbp.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.UnixDatagram;
import dev.eekbp.it.harness.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real `eekbp run` process on this host against a fake sysfs tree where
 * the module looks loaded (adoption needs no module syscalls): READY over
 * NOTIFY_SOCKET, hot reload on file save and on SIGHUP, STOPPING on SIGTERM.
 * Also records start time to READY and RSS on the host.
 */
class AgentDaemonHostTest {
    @TempDir
    Path dir;

    private Path root;

    private String read(String rel) throws IOException {
        return Files.readString(root.resolve(rel)).strip();
    }

    private Path config(boolean control) throws IOException {
        return config(control, 1000);
    }

    private Path config(boolean control, int intervalMs) throws IOException {
        Path c = dir.resolve("eekbp.toml");
        Path tmp = dir.resolve("eekbp.toml.new");
        Files.writeString(tmp, "[kernel]\ncpus = \"1\"\n[frequency]\ncontrol = " + control
                + "\n[placement]\nirq_affinity = false\n[telemetry]\nprometheus = false\ninterval_ms = "
                + intervalMs + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, c, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return c;
    }

    private static String await(UnixDatagram rx, String prefix, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            String m = rx.receive(4096, 200);
            if (m != null) {
                seen.add(m);
                if (m.startsWith(prefix)) {
                    return m;
                }
            }
        }
        throw new AssertionError("no " + prefix + " within " + limit + "; got " + seen);
    }

    private Process startAgent(Path conf, String sock, Path log, boolean nohup) throws IOException {
        return startAgent(conf, sock, log, nohup, java.util.Map.of());
    }

    private Process startAgent(Path conf, String sock, Path log, boolean nohup, java.util.Map<String, String> env)
            throws IOException {
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        List<String> cmd = new ArrayList<>();
        if (nohup) {
            cmd.add("nohup");
        }
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(ClassArchive.JVM_OPTIONS);
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", conf.toString(), "--sysfs-root",
                root.toString(), "--state-file", dir.resolve("state.json").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NOTIFY_SOCKET", sock);
        pb.environment().put("WATCHDOG_USEC", "1000000");
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void sigtermDuringStartUndoesTheStartAndExitsZero() throws Exception {
        root = FakeMachine.create(dir.resolve("root"));
        // the livepatch transition never ends: start waits (up to 60 s) after switching governors
        Files.writeString(root.resolve("sys/kernel/livepatch/eekbp_livepatch/transition"), "1\n");
        Path conf = config(true);
        Path log = Files.createFile(dir.resolve("agent.log"));
        // stderr is "the journal" here: JOURNAL_STREAM names its device and inode, as systemd sets it
        String journal = Files.getAttribute(log, "unix:dev") + ":" + Files.getAttribute(log, "unix:ino");
        try (UnixDatagram rx = UnixDatagram.bind(dir.resolve("notify.sock").toString())) {
            Process p = startAgent(conf, dir.resolve("notify.sock").toString(), log, false,
                    java.util.Map.of("JOURNAL_STREAM", journal));
            try {
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor").equals("userspace")) {
                    assertThat(System.nanoTime()).as("governor switched during start").isLessThan(end);
                    assertThat(p.isAlive()).isTrue();
                    Thread.sleep(50);
                }
                Thread.sleep(300); // now in the transition wait
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits well before the 60 s transition limit")
                        .isTrue();
                assertThat(p.exitValue()).isZero();
                assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
                assertThat(read("sys/kernel/eekbp/enabled")).isEqualTo("0");
                assertThat(Files.readString(log)).contains("<6>Daemon - stop requested during start")
                        .contains("<3>Agent - start failed, undoing: stop requested")
                        .doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}").doesNotContain("[INFO]");
            } finally {
                p.destroyForcibly();
                System.out.println(Files.readString(log));
            }
        }
    }

    @Test
    void daemonNotifiesReloadsAndStops() throws Exception {
        root = FakeMachine.create(dir.resolve("root"));
        Path conf = config(true);
        String sock = dir.resolve("notify.sock").toString();
        Path log = dir.resolve("agent.log");
        try (UnixDatagram rx = UnixDatagram.bind(sock)) {
            long t0 = System.nanoTime();
            // under nohup SIGHUP arrives ignored; the agent must take it back (a JVM alone would not)
            Process p = startAgent(conf, sock, log, true);
            try {
                String ready = await(rx, "READY=1", Duration.ofSeconds(60));
                long readyMs = (System.nanoTime() - t0) / 1_000_000;
                String rss = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?");
                System.out.printf("eekbp-agent-host: start to READY %d ms, %s%n", readyMs, rss.replaceAll("\\s+",
                        " "));
                assertThat(ready).contains("STATUS=mode eekbp on CPUs 1").contains("frequency control on")
                        .contains("adopted running module").contains("MAINPID=" + p.pid());
                assertThat(read("sys/kernel/eekbp/enabled")).isEqualTo("1");
                assertThat(read("sys/kernel/eekbp/freq_ctl")).isEqualTo("1");
                assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("userspace");
                await(rx, "WATCHDOG=1", Duration.ofSeconds(3));

                long t1 = System.nanoTime();
                config(false);
                String status = await(rx, "STATUS=", Duration.ofSeconds(5));
                long reloadMs = (System.nanoTime() - t1) / 1_000_000;
                System.out.printf("eekbp-agent-host: file save to reloaded STATUS %d ms%n", reloadMs);
                assertThat(status).contains("frequency control off");
                assertThat(reloadMs).as("reload within 1 s of the save").isLessThan(1000);
                assertThat(read("sys/kernel/eekbp/freq_ctl")).isEqualTo("0");
                assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");

                // SIGHUP reloads too (here: the same file, after a direct edit of the kernel value)
                Files.writeString(root.resolve("sys/kernel/eekbp/quota"), "7\n");
                new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
                await(rx, "STATUS=", Duration.ofSeconds(5));
                assertThat(read("sys/kernel/eekbp/quota")).isEqualTo("64");
                assertThat(Files.readString(log)).contains("SIGHUP was inherited as ignored");

                // a cumulative livepatch replaces ours: unhealthy in the log and the systemd status
                Files.writeString(root.resolve("sys/kernel/livepatch/eekbp_livepatch/enabled"), "0\n");
                assertThat(await(rx, "STATUS=unhealthy", Duration.ofSeconds(5)))
                        .contains("livepatch eekbp_livepatch is disabled");
                Files.writeString(root.resolve("sys/kernel/livepatch/eekbp_livepatch/enabled"), "1\n");
                assertThat(await(rx, "STATUS=mode eekbp", Duration.ofSeconds(5))).contains("frequency control off");

                // a [telemetry] change is applied by restarting telemetry, not ignored
                config(false, 500);
                await(rx, "STATUS=", Duration.ofSeconds(5));
                assertThat(Files.readString(log)).contains("[telemetry] or devices changed: restarting telemetry");

                p.destroy(); // SIGTERM
                String stopping = await(rx, "STOPPING=1", Duration.ofSeconds(30));
                assertThat(stopping).contains("STATUS=stopping");
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("clean stop exits 0 (systemd: inactive, not failed)").isZero();
                assertThat(read("sys/kernel/eekbp/enabled")).isEqualTo("0");
                assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
                assertThat(root.resolve("sys/module/eekbp")).doesNotExist(); // unloaded (simulated in the tree)
                assertThat(dir.resolve("state.json")).doesNotExist();
            } finally {
                p.destroyForcibly();
                System.out.println(Files.readString(log));
            }
        }
    }
}
