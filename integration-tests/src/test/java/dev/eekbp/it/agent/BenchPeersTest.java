package dev.eekbp.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One boot of 6.1.0-56: `eekbp bench` runs every peer of `make bench`
 * (napi, threaded, threaded-defer, busy-read, kbp, eekbp, eekbp-freq,
 * adaptive, adaptive-freq) against a UDP echo on the host, each with its
 * stock knobs set during its cell and the host's values back after, writes
 * its charts; `eekbp plot` on the host draws the same charts from its JSON.
 */
class BenchPeersTest {
    private static final String KERNEL = "6.1.0-56-amd64";

    private static String script() throws IOException {
        return AgentGuestScript.load("bench-peers.sh");
    }

    /**
     * A dynamic CDS archive of `eekbp bench` itself (stock, module and
     * frequency modes, JSON and charts) on a generated tree, so the JVM in
     * the guest starts faster: under TCG its start is most of the bench's
     * fixed cost (about two minutes without an archive of these classes).
     */
    static boolean benchArchive(Path jar, Path archive, Path work) throws Exception {
        Path root = FakeMachine.create(work.resolve("root"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        for (String f : new String[] {"stat", "softirqs", "interrupts"}) {
            Files.write(root.resolve("proc/" + f), Files.readAllBytes(Path.of("/proc", f)));
        }
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "archive\n");
        Path net = Files.createDirectories(root.resolve("sys/class/net/eth0"));
        for (String k : new String[] {"threaded", "napi_defer_hard_irqs", "gro_flush_timeout"}) {
            Files.writeString(net.resolve(k), "0\n");
        }
        Path core = Files.createDirectories(root.resolve("proc/sys/net/core"));
        Files.writeString(core.resolve("busy_read"), "0\n");
        Files.writeString(core.resolve("busy_poll"), "0\n");
        Path conf = Files.writeString(work.resolve("eekbp.toml"), "[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n"
                + "[telemetry]\nrapl = \"off\"\nipmi = \"off\"\n");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(ClassArchive.JVM_OPTIONS);
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", jar.toString(), "bench", "--insecure-config", "--config", conf.toString(), "--sysfs-root",
                root.toString(), "--modes", "napi,threaded-defer,eekbp-freq", "--reps", "1", "--cell", "1s",
                "--settle", "0ms", "--json", work.resolve("bench.json").toString(), "--plot",
                work.resolve("charts").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("archive-bench.log").toFile()).start();
        boolean done = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        return done && p.exitValue() == 0 && Files.isRegularFile(archive);
    }

    @Test
    void everyPeerGetsACellAndTheKnobsComeBack() throws Exception {
        Kernel k = Kernel.of(KERNEL);
        Path mods = k.builtModulesDir();
        for (String ko : new String[] {"eekbp.ko", "eekbp_livepatch.ko", "eekbp_testfreq.ko"}) {
            assumeTrue(Files.isRegularFile(mods.resolve(ko)), ko + " not built for " + KERNEL + " (make modules)");
        }
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        assumeTrue(Files.isRegularFile(jar), "agent jar missing (make agent)");
        GuestSpec spec = GuestSpec.builder(k.requireBuilt()).name("bench-peers").script(script())
                .nic(Nic.VIRTIO).smp(2).memoryMb(1536).timeout(Duration.ofMinutes(8)).build();
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            Path staged = g.results().resolve("agent.jar").toAbsolutePath();
            Files.copy(jar, staged);
            Path work = Files.createTempDirectory(Kernel.repoRoot().resolve("integration-tests/target"), "bench-cds");
            long t0 = System.nanoTime();
            boolean cds = benchArchive(staged, g.results().resolve("agent.jsa"), work);
            System.out.printf("eekbp-bench-peers-it: class archive %s in %d ms%n", cds ? "written" : "NOT written",
                    (System.nanoTime() - t0) / 1_000_000);
            Files.writeString(g.results().resolve("staged"), staged + "\n");
            g.awaitResultFile("ready", Duration.ofMinutes(5));
            // a UDP echo for the bench's prober (one child per prober socket)
            g.hostSpawn(g.results().resolve("echo.log"), "socat", "-T", "600", "UDP4-LISTEN:7777,fork,reuseaddr",
                    "PIPE");
            Files.writeString(g.results().resolve("echo-started"), "");
            r = g.await();
        }
        System.out.printf("eekbp-bench-peers-it: %s wall %d s, metrics: %s%n", KERNEL, r.wallTime().toSeconds(),
                r.file("metrics").replace('\n', ' '));
        r.assertTestsPassed();
        assertThat(r.testLines()).hasSizeGreaterThan(60);
        assertThat(r.path("charts/rtt-p50.png")).isNotEmptyFile();
        // the same charts from the JSON with `eekbp plot` (on the host: a JVM start under TCG is slow)
        Path replot = r.results().resolve("replot");
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar", jar.toString(), "plot",
                "--out", replot.toString(), r.path("bench.json").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        try (var a = Files.list(r.path("charts")); var b = Files.list(replot)) {
            List<String> guest = a.map(f -> f.getFileName().toString()).sorted().toList();
            assertThat(guest).hasSizeGreaterThanOrEqualTo(7).allMatch(n -> n.endsWith(".png"));
            assertThat(b.map(f -> f.getFileName().toString()).sorted().toList()).isEqualTo(guest);
        }
    }
}
