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
 * The defects of the kernel review (issue 10), one guest boot per kernel
 * (guest/kernel/hardening-tests.sh): stock behaviour on unserved CPUs, the
 * napi_poll tracepoint within the napi weight, RPS to a served CPU, real
 * sleep counts, the scheduling policy setting, and frequency control when
 * the frequency cannot be restored, when it is switched on while idle,
 * across limit changes, on a shared policy and across CPU hotplug.
 */
class KernelHardeningTest {

    static List<Kernel> kernels() {
        return Kernel.matrix();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void reviewDefectsStayFixed(Kernel kernel) throws Exception {
        GuestSpec spec = KernelGuests.virtio(kernel, "hardening", "hardening-tests.sh",
                Duration.ofMinutes(12));
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            Path hostLog = KernelGuests.hostScript(g, "host-traffic.sh");
            r = g.await();
            Files.deleteIfExists(hostLog);
        }
        System.out.println("[" + kernel.version() + "] " + r + "\n"
                + String.join("\n", r.testLines()));
        r.assertTestsPassed();
        assertThat(r.testLines()).as("every case reported")
                .anyMatch(l -> l.startsWith("TEST: freq-after-hotplug "))
                .anyMatch(l -> l.startsWith("TEST: dmesg-clean "));
    }

    /**
     * The text stats of 40 served CPUs is longer than a page (32
     * lines of the old format fit in one); it was cut at 4095 bytes before.
     */
    @org.junit.jupiter.api.Test
    void statsTextOfManyCpusIsNotTruncated() throws Exception {
        Kernel kernel = Kernel.matrix().get(0);
        String script = """
                insmod "$MODDIR/eekbp.ko" cpus=0-39 mode=eekbp || exit 1
                lines=$(grep -c '^cpu=' /sys/kernel/eekbp/stats)
                bytes=$(wc -c < /sys/kernel/eekbp/stats)
                last=$(tail -1 /sys/kernel/eekbp/stats | cut -d' ' -f1)
                echo "eekbp-test: stats of 40 CPUs: $lines lines, $bytes bytes, last $last"
                rc=0
                [ "$lines" = 40 ] && [ "$bytes" -gt 4096 ] && [ "$last" = cpu=39 ] || rc=1
                rmmod eekbp || rc=1
                [ $rc = 0 ] && echo "TEST: stats-text-40-cpus [ OK ]" || echo "TEST: stats-text-40-cpus [FAIL]"
                exit $rc
                """;
        GuestSpec spec = GuestSpec.builder(kernel).name("stats40").script(script)
                .smp(40).memoryMb(1024).nic(Nic.NONE).timeout(Duration.ofMinutes(5)).build();
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            r = g.await();
        }
        System.out.println("[" + kernel.version() + "] " + r + "\n" + String.join("\n", r.testLines()));
        r.assertTestsPassed();
        assertThat(r.testLines()).contains("TEST: stats-text-40-cpus [ OK ]");
    }
}
