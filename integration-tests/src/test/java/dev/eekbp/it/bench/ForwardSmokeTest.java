package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * make test's smoke of make bench's forwarding topology and in-guest latency
 * pass (Profile.FORWARD_SMOKE, one guest, about 3 min): through the real
 * bench code, the served NIC bridged to netns "vm" in stock NAPI, threaded
 * NAPI, EE-KBP and adaptive. Asserts that the VM's echoes come back, that
 * eekbp's thread served the forwarded packets, that the instrument saw them
 * reach the VM's socket, and that the report and charts have the sections.
 * No times are asserted.
 */
class ForwardSmokeTest {

    /** The matrix's newest kernel; -Deekbp.kernels picks others. */
    static List<Kernel> kernels() {
        return List.of(Kernel.matrix().getLast());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void forwardedTrafficServedAndMeasured(Kernel kernel, @TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchResults r;
        try (PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            r = new BenchRunner(Profile.FORWARD_SMOKE, kernel, progress).run();
        } finally {
            System.out.println(log.toString(StandardCharsets.UTF_8));
        }
        BenchMain.writeReport(r, out);
        System.out.println(Files.readString(out.resolve("report.md")));

        assertThat(r.notes()).as("setup notes").noneMatch(n -> n.contains("did not start"));
        assertThat(r.modes()).as("modes run").containsExactlyElementsOf(
                Profile.FORWARD_SMOKE.modes());
        for (Mode m : r.modes()) {
            Cell fwd = only(r, "forward", m);
            assertThat(fwd.sent()).as("%s: round trips to the VM", m.label()).isPositive();
            assertThat(fwd.received()).as("%s: echoes from the VM behind the bridge", m.label())
                    .isGreaterThanOrEqualTo(fwd.sent() * 95 / 100);
            if (m.usesModule()) {
                assertThat(fwd.eekbpPackets()).as("%s: packets the eekbp thread polled",
                        m.label()).isGreaterThanOrEqualTo(fwd.received());
            }
            Cell lat = only(r, "latency", m);
            Cell fwdLat = only(r, "forward-latency", m);
            assertThat(lat.latency().irq2sock().total())
                    .as("%s: hardIRQ to socket samples", m.label()).isPositive();
            assertThat(fwdLat.latency().irq2sock().total())
                    .as("%s: hardIRQ to the VM's socket samples", m.label()).isPositive();
            assertThat(fwdLat.latency().irq2sock().percentile(50))
                    .as("%s: the VM's socket is reached after the first packet", m.label())
                    .isGreaterThanOrEqualTo(fwdLat.latency().irq2rx().percentile(50));
        }
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("## In-guest latency", "## Forwarding topology");
        assertThat(out.resolve("fig-forward-rtt-80M-64.png")).isRegularFile();
        assertThat(out.resolve("fig-forward-latency-80M-64.png")).isRegularFile();
    }

    private static Cell only(BenchResults r, String scenario, Mode m) {
        List<Cell> cs = r.cells().stream()
                .filter(c -> c.scenario().equals(scenario) && c.mode() == m).toList();
        assertThat(cs).as("%s cells of %s", scenario, m.label()).hasSize(1);
        return cs.getFirst();
    }
}
