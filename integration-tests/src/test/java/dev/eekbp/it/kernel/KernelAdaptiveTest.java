package dev.eekbp.it.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adaptive mode in one guest boot per kernel (guest/kernel/adaptive-tests.sh)
 * under a one-way UDP flood from the host: fewer wakes and frequency changes per
 * packet than eekbp in the same boot, no spin with spin_max_us=0, toggles, link
 * down/up, hotplug and unload under traffic, idle cost, knob validation.
 */
class KernelAdaptiveTest {

    /** Offered rate: gaps of about 0.7 ms, within the 1 ms spin limit the test sets. */
    private static final String FLOOD_PPS = "1500";

    static List<Kernel> kernels() {
        return Kernel.matrix();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void adaptiveModeServesAndSavesWakes(Kernel kernel) throws Exception {
        GuestSpec spec = KernelGuests.virtio(kernel, "adaptive", "adaptive-tests.sh",
                Duration.ofMinutes(12));
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            Path hostLog = KernelGuests.hostScript(g, "host-flood.sh", FLOOD_PPS);
            // the round-trip cases: sockperf runs the guest asks for (echo-req-<tag>)
            Path echoLog = KernelGuests.hostScript(g, "host-echo.sh");
            r = g.await();
            Files.deleteIfExists(hostLog);
            Files.deleteIfExists(echoLog);
        }
        Path metricsFile = r.path("adaptive-metrics.txt");
        String metrics = Files.isRegularFile(metricsFile) ? Files.readString(metricsFile) : "";
        System.out.println("[" + kernel.version() + "] " + r + "\n"
                + String.join("\n", r.testLines()) + "\n" + metrics);
        r.assertTestsPassed();
        assertThat(r.testLines()).as("every case reported")
                .anyMatch(l -> l.startsWith("TEST: adaptive-unload-under-traffic "))
                .anyMatch(l -> l.startsWith("TEST: dmesg-clean "));
    }
}
