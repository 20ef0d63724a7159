package dev.eekbp.it.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.bench.LatencyHist;
import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-guest latency instrument (guest/bench/latency-trace.sh, ftrace
 * histogram triggers) in napi, threaded, eekbp, adaptive and kbp mode under
 * host UDP round trips (guest/kernel/latency-tests.sh): it sees the hardIRQ to
 * first-packet and hardIRQ to socket paths in every IRQ-driven mode, leaves
 * nothing behind, and its cost shows in the host round trips of napi with it
 * off and on. Prints each mode's distributions; asserts no times.
 */
class LatencyInstrumentTest {

    private static final Pattern P50 = Pattern.compile("percentile 50\\.000 =\\s*([0-9.]+)");
    private static final List<String> IRQ_MODES = List.of("napi", "threaded", "eekbp", "adaptive");

    /** The matrix's newest kernel (3 min a guest); -Deekbp.kernels picks others. */
    static List<Kernel> kernels() {
        return List.of(Kernel.matrix().getLast());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void everyModeMeasuredTheSameWay(Kernel kernel) throws Exception {
        GuestSpec spec = GuestSpec.builder(kernel).name("latency")
                .scriptFile(KernelGuests.script("latency-tests.sh"))
                .smp(2).memoryMb(1024).nic(Nic.VIRTIO).timeout(Duration.ofMinutes(10)).build();
        Map<String, List<Double>> rtt = new TreeMap<>();
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            Path results = g.results();
            for (int n = 0; ; n++) {
                Path ask = waitForStep(g, results, n);
                if (ask == null) {
                    break;
                }
                String label = Files.readString(ask).strip();
                ExecResult out = g.hostExec(Duration.ofSeconds(60), "sockperf", "ping-pong", "-i",
                        g.guestAddress(), "-p", "11111", "-t", "4", "--mps", "300");
                Files.writeString(results.resolve("sockperf-" + n + ".txt"), out.stdout() + out.stderr());
                Matcher m = P50.matcher(out.stdout());
                if (m.find()) {
                    rtt.computeIfAbsent(label, k -> new ArrayList<>()).add(Double.parseDouble(m.group(1)));
                }
                Files.writeString(results.resolve("traffic-" + n + "-done"), "");
            }
            r = g.await();
        }
        StringBuilder report = new StringBuilder("[" + kernel.version() + "] " + r + "\n");
        for (String mode : List.of("napi", "threaded", "eekbp", "adaptive", "kbp", "napi-cost")) {
            LatencyHist rx = LatencyHist.read(r.path("lat-" + mode + "/irq2rx"));
            LatencyHist sk = LatencyHist.read(r.path("lat-" + mode + "/irq2sock"));
            report.append(String.format("  %-9s irq->first packet %s | irq->socket %s%n", mode, rx.summary(),
                    sk.summary()));
            if (IRQ_MODES.contains(mode)) {
                assertThat(sk.total()).as("%s: irq->socket samples", mode).isPositive();
                assertThat(sk.percentile(50)).as("%s: a datagram reaches its socket after the first packet", mode)
                        .isGreaterThanOrEqualTo(rx.percentile(50));
            }
        }
        report.append("  host round-trip p50 (us), napi: instrument off ").append(rtt.get("napi-off"))
                .append(", on ").append(rtt.get("napi-cost-on"));
        System.out.println(report);
        r.assertTestsPassed();
        assertThat(rtt).as("host round trips with the instrument off and on").containsKeys("napi-off",
                "napi-cost-on");
    }

    /** The guest's traffic-n request, or null once it is done. */
    private static Path waitForStep(RunningGuest g, Path results, int n) {
        Path ask = results.resolve("traffic-" + n);
        while (!Files.exists(ask)) {
            if (Files.exists(results.resolve("done")) || !g.isAlive()) {
                return null;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return ask;
    }
}
