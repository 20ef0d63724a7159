package dev.eekbp.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One boot of 6.1.0-56: the agent loads the modules through FFM from a config,
 * hot-reloads frequency control under host traffic, survives kill -9 and
 * adopts on restart, and on SIGTERM unloads and restores; sd_notify messages
 * reach a receiver in the guest; `eekbp bench` then compares every mode
 * against a UDP echo on the host and leaves the machine as it found it.
 * Start time to READY and RSS are recorded.
 */
class AgentLifecycleTest {
    private static final String KERNEL = "6.1.0-56-amd64";
    private static final Pattern SENT = Pattern.compile("SentMessages=(\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("ReceivedMessages=(\\d+)");

    private static String script() throws IOException {
        return AgentGuestScript.load("agent-lifecycle.sh");
    }

    /**
     * Copies the agent jar and the notify receiver into the guest's results
     * folder, and writes a class archive for that jar. "staged" holds the
     * jar's host path, which the guest sees too.
     */
    private static void stage(Path results, Path jar) throws Exception {
        Path staged = results.resolve("agent.jar").toAbsolutePath();
        Files.copy(jar, staged);
        Path work = Files.createTempDirectory(Kernel.repoRoot().resolve("integration-tests/target"), "agent-cds");
        long t0 = System.nanoTime();
        boolean cds = ClassArchive.create(staged, results.resolve("agent.jsa"), work);
        System.out.printf("eekbp-agent-it: class archive %s in %d ms%n", cds ? "written" : "NOT written",
                (System.nanoTime() - t0) / 1_000_000);
        Path src = Path.of(NotifyReceiver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/eekbp/it/agent/NotifyReceiver.class");
        Path dst = results.resolve("it-classes/dev/eekbp/it/agent/NotifyReceiver.class");
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst);
        Files.writeString(results.resolve("staged"), staged + "\n");
    }

    @Test
    void agentLifecycleInGuest() throws Exception {
        Kernel k = Kernel.of(KERNEL);
        // -Deekbp.agent.moddir=DIR runs against modules built elsewhere (development)
        String override = System.getProperty("eekbp.agent.moddir", "");
        Path mods = override.isBlank() ? k.builtModulesDir() : Path.of(override);
        for (String ko : new String[] {"eekbp.ko", "eekbp_livepatch.ko", "eekbp_testfreq.ko"}) {
            assumeTrue(Files.isRegularFile(mods.resolve(ko)), ko + " not built for " + KERNEL + " (make modules)");
        }
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        assumeTrue(Files.isRegularFile(jar), "agent jar missing (make agent)");

        GuestSpec.Builder b = GuestSpec.builder(k.requireBuilt()).name("agent").script(script())
                .nic(Nic.VIRTIO).smp(2).memoryMb(1536)
                .timeout(Duration.ofMinutes(12));
        if (!override.isBlank()) {
            b.env("MODDIR", mods.toString());
        }
        GuestSpec spec = b.build();
        GuestResult r;
        ExecResult ping;
        try (RunningGuest g = Guest.start(spec)) {
            stage(g.results(), jar);
            g.awaitResultFile("ready", Duration.ofMinutes(5));
            Files.writeString(g.results().resolve("traffic-started"), "");
            ping = g.hostExec(Duration.ofSeconds(90), "sockperf", "ping-pong", "-i", g.guestAddress(), "-p",
                    "11111", "-t", "12", "--mps", "100");
            Files.writeString(g.results().resolve("host-done"), "");
            // a UDP echo for `eekbp bench` in the guest (one child per prober socket)
            g.hostSpawn(g.results().resolve("echo.log"), "socat", "-T", "600", "UDP4-LISTEN:7777,fork,reuseaddr",
                    "PIPE");
            Files.writeString(g.results().resolve("echo-started"), "");
            r = g.await();
        }
        String metrics = r.file("metrics");
        System.out.printf("eekbp-agent-it: %s metrics: %s%n", KERNEL, metrics.replace('\n', ' '));
        String out = ping.stdout() + ping.stderr();
        System.out.printf("eekbp-agent-it: sockperf during reload: %s%n", out.lines()
                .filter(l -> l.contains("Messages") || l.contains("avg-latency")).toList());
        r.assertTestsPassed();
        assertThat(r.testLines()).hasSizeGreaterThan(30);
        Matcher s = SENT.matcher(out);
        Matcher m = RECEIVED.matcher(out);
        if (!s.find() || !m.find()) {
            throw r.failure("sockperf printed no message counts (exit " + ping.exit() + "):\n" + out);
        }
        long sent = Long.parseLong(s.group(1));
        long received = Long.parseLong(m.group(1));
        assertThat(received).as("UDP echo replies while frequency control was toggled").isPositive();
        // the reply to the last request may still be in flight when the run ends
        assertThat(sent - received).as("packets lost during hot reload (sent %d, received %d)", sent, received)
                .isLessThanOrEqualTo(1);
    }
}
