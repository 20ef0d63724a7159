package dev.eekbp.it.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Datapath cases beside the main flow, one guest boot per kernel
 * (guest/kernel/datapath-cases.sh, eth0 a two-queue virtio-net): flow limits
 * with and without the livepatch, TCP bulk over IPv4 and IPv6 checksummed at
 * both ends, busy polling, threaded NAPI toggles, napi_defer_hard_irqs, RPS to
 * and from the served CPU, two queues on two served CPUs with link flaps, and
 * hotplug of the served CPU under a flood. The host side
 * (datapath-host.sh) answers the guest's clients and floods on request.
 */
class DatapathCasesTest {

    /** Size of the TCP bulk transfer in MiB (about 1 s per MiB per direction under TCG). */
    private static final String BULK_MIB = "8";

    /** Every case the script must report, in its order. */
    static final List<String> CASES = List.of(
            "two-queue-nic",
            "flow-limit-stock-baseline", "load-modules", "flow-limit-livepatch-disabled",
            "flow-limit-backlog-cpu-unserved",
            "tcp-bulk-ipv4-sha256", "tcp-bulk-ipv6-sha256",
            "busy-poll-sysctls", "busy-poll-so-busy-poll",
            "threaded-napi-toggle-under-traffic",
            "defer-hard-irqs-gro-flush-timeout",
            "rps-to-served-cpu", "rps-to-served-cpu-by-thread",
            "rps-from-served-cpu", "rps-from-served-cpu-by-thread",
            "multiqueue-two-served-cpus", "multiqueue-link-down-up-under-traffic",
            "multiqueue-traffic-after-link-flaps",
            "cpu-hotplug-served-cpu-under-flood", "traffic-served-after-hotplug",
            "link-down-after-hotplug",
            "unload-modules", "dmesg-clean");

    static List<Kernel> kernels() {
        return Kernel.matrix();
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void datapathCases(Kernel kernel) throws Exception {
        GuestSpec spec = GuestSpec.builder(kernel).name("datapath")
                .scriptFile(KernelGuests.script("datapath-cases.sh"))
                .smp(2).memoryMb(1024).nic(Nic.VIRTIO_MQ)
                .timeout(Duration.ofMinutes(10))
                .build();
        GuestResult r;
        Path hostLog = Files.createTempFile("eekbp-datapath-host-", ".log");
        try (RunningGuest g = Guest.start(spec)) {
            g.hostSpawn(hostLog, "bash", KernelGuests.script("datapath-host.sh").toString(),
                    g.results().toString(), g.guestAddress(), g.tap(), BULK_MIB);
            r = g.await();
        }
        String host = Files.readString(hostLog);
        Files.deleteIfExists(hostLog);
        Path metricsFile = r.path("datapath-metrics.txt");
        String metrics = Files.isRegularFile(metricsFile) ? Files.readString(metricsFile) : "";
        System.out.println("[" + kernel.version() + "] " + r + "\n"
                + String.join("\n", r.testLines()) + "\n" + metrics + "host side:\n" + host);

        r.assertTestsPassed();
        List<String> reported = r.testLines().stream()
                .map(l -> l.replaceFirst("^TEST: (\\S+) .*$", "$1")).toList();
        assertThat(reported).as("cases reported (a missing one means the script died)")
                .containsAll(CASES);
    }
}
