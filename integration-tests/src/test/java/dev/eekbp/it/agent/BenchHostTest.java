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
 * restores the governor and leaves no restore data behind.
 */
class BenchHostTest {
    @TempDir
    Path dir;

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
