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

    private void file(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private String read(String rel) throws IOException {
        return Files.readString(root.resolve(rel)).strip();
    }

    private void fakeMachine() throws IOException {
        file("sys/devices/system/cpu/online", "0-1\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            String d = "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/";
            file(d + "scaling_driver", "eekbp_testfreq\n");
            file(d + "scaling_governor", "schedutil\n");
            file(d + "scaling_available_governors", "userspace schedutil\n");
        }
        file("sys/module/eekbp/initstate", "live\n");
        file("sys/module/eekbp_livepatch/initstate", "live\n");
        for (String[] a : new String[][] {{"abi_version", "1"}, {"mode", "napi"}, {"cpus", "0"}, {"devices", ""},
            {"quota", "64"}, {"freq_ctl", "0"}, {"freq_min_khz", "0"}, {"freq_max_khz", "0"}, {"enabled", "0"}}) {
            file("sys/kernel/eekbp/" + a[0], a[1] + "\n");
        }
        file("sys/kernel/livepatch/eekbp_livepatch/enabled", "1\n");
        file("sys/kernel/livepatch/eekbp_livepatch/transition", "0\n");
    }

    private Path config(boolean control) throws IOException {
        Path c = dir.resolve("eekbp.toml");
        Path tmp = dir.resolve("eekbp.toml.new");
        Files.writeString(tmp, "[kernel]\ncpus = \"1\"\n[frequency]\ncontrol = " + control
                + "\n[placement]\nirq_affinity = false\n[telemetry]\nprometheus = false\n");
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

    @Test
    void daemonNotifiesReloadsAndStops() throws Exception {
        root = dir.resolve("root");
        fakeMachine();
        Path conf = config(true);
        String sock = dir.resolve("notify.sock").toString();
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        Path log = dir.resolve("agent.log");
        try (UnixDatagram rx = UnixDatagram.bind(sock)) {
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                    "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m",
                    "-Xmx128m", "-jar", jar.toString(), "run", "--config", conf.toString(), "--sysfs-root", root.toString(),
                    "--state-file", dir.resolve("state.json").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("NOTIFY_SOCKET", sock);
            pb.environment().put("WATCHDOG_USEC", "1000000");
            Process p = pb.start();
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

                p.destroy(); // SIGTERM
                String stopping = await(rx, "STOPPING=1", Duration.ofSeconds(30));
                assertThat(stopping).contains("STATUS=stopping");
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(read("sys/kernel/eekbp/enabled")).isEqualTo("0");
                assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
            } finally {
                p.destroyForcibly();
                System.out.println(Files.readString(log));
            }
        }
    }
}
