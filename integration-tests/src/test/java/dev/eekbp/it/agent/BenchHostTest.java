package dev.eekbp.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real `eekbp bench` process on this host against a fake tree where the
 * module looks loaded: SIGTERM (Ctrl-C) in the middle of a cell still
 * restores the governor and leaves no restore data behind; kill -9 in the
 * middle of a threaded-defer cell leaves the host's knob values on disk,
 * and `eekbp unload` puts them back.
 */
class BenchHostTest {
    @TempDir
    Path dir;

    private Path machineWithKnobs() throws Exception {
        Path root = FakeMachine.create(dir.resolve("root"));
        Files.createDirectories(root.resolve("proc"));
        for (String f : new String[] {"stat", "softirqs", "interrupts"}) {
            Files.write(root.resolve("proc/" + f), Files.readAllBytes(Path.of("/proc", f)));
        }
        Path net = Files.createDirectories(root.resolve("sys/class/net/eth0"));
        Files.writeString(net.resolve("threaded"), "0\n");
        Files.writeString(net.resolve("napi_defer_hard_irqs"), "1\n");
        Files.writeString(net.resolve("gro_flush_timeout"), "3000\n");
        Path core = Files.createDirectories(root.resolve("proc/sys/net/core"));
        Files.writeString(core.resolve("busy_read"), "0\n");
        Files.writeString(core.resolve("busy_poll"), "7\n");
        return root;
    }

    private static List<String> agent(String... args) {
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(ClassArchive.JVM_OPTIONS);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void killDuringACellLeavesKnobsThatUnloadPutsBack() throws Exception {
        Path root = machineWithKnobs();
        Path conf = Files.writeString(dir.resolve("eekbp.toml"),
                "[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n[telemetry]\nrapl = \"off\"\nipmi = \"off\"\n");
        Path log = dir.resolve("bench.log");
        Process p = new ProcessBuilder(agent("bench", "--insecure-config", "--config", conf.toString(),
                "--sysfs-root", root.toString(), "--modes", "threaded-defer", "--reps", "1", "--cell", "60s",
                "--settle", "0ms")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path flush = root.resolve("sys/class/net/eth0/gro_flush_timeout");
        Path knobs = root.resolve("run/eekbp/bench-knobs");
        try {
            final long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(flush).strip().equals("20000")) {
                assertThat(System.nanoTime()).as("bench set gro_flush_timeout").isLessThan(end);
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
            assertThat(Files.readString(root.resolve("sys/class/net/eth0/threaded")).strip()).isEqualTo("1");
            assertThat(Files.readString(root.resolve("sys/class/net/eth0/napi_defer_hard_irqs")).strip())
                    .isEqualTo("2");
            assertThat(Files.readString(root.resolve("proc/sys/net/core/busy_poll")).strip()).isEqualTo("0");
            p.destroyForcibly(); // kill -9: no shutdown hook
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(knobs)).contains("sys/class/net/eth0/gro_flush_timeout 3000\n")
                    .contains("sys/class/net/eth0/threaded 0\n").contains("proc/sys/net/core/busy_poll 7\n");
            Path ulog = dir.resolve("unload.log");
            Process u = new ProcessBuilder(agent("unload", "--insecure-config", "--config", conf.toString(),
                    "--sysfs-root", root.toString())).redirectErrorStream(true).redirectOutput(ulog.toFile()).start();
            assertThat(u.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(u.exitValue()).as(Files.readString(ulog)).isZero();
            assertThat(Files.readString(ulog)).contains("restored the kernel knobs an interrupted 'eekbp bench' left");
            assertThat(Files.readString(flush).strip()).isEqualTo("3000");
            assertThat(Files.readString(root.resolve("sys/class/net/eth0/threaded")).strip()).isEqualTo("0");
            assertThat(Files.readString(root.resolve("sys/class/net/eth0/napi_defer_hard_irqs")).strip())
                    .isEqualTo("1");
            assertThat(Files.readString(root.resolve("proc/sys/net/core/busy_poll")).strip()).isEqualTo("7");
            assertThat(knobs).doesNotExist();
            // SIGTERM (Ctrl-C) instead: the shutdown hook puts the knobs back at once
            p = new ProcessBuilder(agent("bench", "--insecure-config", "--config", conf.toString(),
                    "--sysfs-root", root.toString(), "--modes", "busy-read", "--reps", "1", "--cell", "60s",
                    "--settle", "0ms")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Path busyRead = root.resolve("proc/sys/net/core/busy_read");
            while (!Files.readString(busyRead).strip().equals("50")) {
                assertThat(System.nanoTime()).as("bench set busy_read").isLessThan(end + 60_000_000_000L);
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(busyRead).strip()).isEqualTo("0");
            assertThat(Files.readString(root.resolve("proc/sys/net/core/busy_poll")).strip()).isEqualTo("7");
            assertThat(Files.readString(flush).strip()).isEqualTo("3000");
            assertThat(knobs).doesNotExist();
        } finally {
            p.destroyForcibly();
            System.out.println(Files.readString(log));
        }
    }

    @Test
    void sigtermDuringACellRestoresTheMachine() throws Exception {
        Path root = FakeMachine.create(dir.resolve("root"));
        Files.createDirectories(root.resolve("proc"));
        for (String f : new String[] {"stat", "softirqs", "interrupts"}) {
            Files.write(root.resolve("proc/" + f), Files.readAllBytes(Path.of("/proc", f)));
        }
        Path conf = Files.writeString(dir.resolve("eekbp.toml"),
                "[kernel]\ncpus = \"1\"\n[telemetry]\nrapl = \"off\"\nipmi = \"off\"\n");
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        Path log = dir.resolve("bench.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(ClassArchive.JVM_OPTIONS);
        cmd.addAll(List.of("-jar", jar.toString(), "bench", "--insecure-config", "--config", conf.toString(),
                "--sysfs-root", root.toString(), "--modes", "eekbp-freq", "--reps", "1", "--cell", "60s",
                "--settle", "0ms"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path governor = root.resolve("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor");
        try {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(governor).strip().equals("userspace")) {
                assertThat(System.nanoTime()).as("bench switched the governor").isLessThan(end);
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
            Thread.sleep(500); // in the 60 s cell now
            p.destroy(); // SIGTERM, as Ctrl-C's SIGINT would be
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(governor).strip()).isEqualTo("schedutil");
            assertThat(Files.readString(root.resolve("sys/kernel/eekbp/enabled")).strip()).isEqualTo("0");
            assertThat(root.resolve("run/eekbp/state.json")).doesNotExist();
        } finally {
            p.destroyForcibly();
            System.out.println(Files.readString(log));
        }
    }
}
