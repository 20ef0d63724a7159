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
import java.io.InputStream;
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
        try (InputStream in = BenchPeersTest.class.getResourceAsStream("bench-peers.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
            ClassArchive.create(staged, g.results().resolve("agent.jsa"), work);
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
