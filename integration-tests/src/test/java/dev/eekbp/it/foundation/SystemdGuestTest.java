package dev.eekbp.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The systemd guest of {@link GuestSpec.Builder#systemd()}: systemd is PID 1,
 * the root is writable (overlay) while the host's stays untouched, units
 * start and stop, and the guest ends with the script's exit code.
 */
class SystemdGuestTest {

    private static final String SCRIPT = """
            rc=0
            ok() { echo "TEST: $1 [ OK ]"; }
            ko() { echo "TEST: $1 [FAIL]"; rc=1; }
            check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

            check pid1-systemd test "$(cat /proc/1/comm)" = systemd
            check kernel-version test "$(uname -r)" = "$KVER"
            check root-writable sh -c 'echo x >/usr/local/eekbp-probe'
            check own-modules modprobe veth
            check modules-writable touch "/lib/modules/$KVER/eekbp-probe"
            check eth0-address sh -c "ip -4 addr show eth0 | grep -q '$EEKBP_GUEST_ADDR/24'"
            check unit-runs systemd-run --wait --unit=eekbp-probe -p Type=oneshot /bin/true
            systemctl is-system-running >"$RESULTS/state" 2>&1
            systemctl --failed --no-legend >"$RESULTS/failed-units" 2>&1
            exit $rc
            """;

    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "eekbp.packaging", matches = "true")
    @Test
    void bootsSystemdAsPid1OnAWritableOverlay() throws Exception {
        Kernel k = Kernel.matrix().getLast();
        GuestSpec spec = GuestSpec.builder(k).name("systemd").script(SCRIPT).systemd()
                .nic(Nic.VIRTIO).memoryMb(1024).timeout(Duration.ofMinutes(4)).build();
        GuestResult r = Guest.run(spec);
        r.assertTestsPassed();
        assertThat(r.exitCode()).isZero();
        assertThat(java.nio.file.Path.of("/usr/local/eekbp-probe")).doesNotExist();
        System.out.printf("systemd guest on %s: %d ms, state %s, failed units: %s%n", k,
                r.wallTime().toMillis(), r.file("state").strip(), r.file("failed-units").strip());
    }
}
