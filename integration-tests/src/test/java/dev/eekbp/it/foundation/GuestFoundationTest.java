package dev.eekbp.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One boot per kernel: the guest runs the kernel it was given, loads the
 * project's test module, finds its own kernel modules, and serves UDP echo
 * to a sockperf client on the host side of its tap.
 */
class GuestFoundationTest {

    private static final Pattern RECEIVED = Pattern.compile("ReceivedMessages=(\\d+)");

    static List<Kernel> kernels() {
        return Kernel.matrix();
    }

    private static final String SCRIPT = """
            rc=0
            ok() { echo "TEST: $1 [ OK ]"; }
            ko() { echo "TEST: $1 [FAIL]"; rc=1; }
            check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

            check kernel-version test "$(uname -r)" = "$KVER"
            check results-writable touch "$RESULTS/probe"
            check hostroot-readonly sh -c '! touch /usr/eekbp-probe 2>/dev/null'
            insmod "$MODDIR/eekbp_hello.ko" greeting=canary$$
            check hello-loaded sh -c "dmesg | grep -q 'eekbp_hello: canary$$ from the eekbp test module'"
            rmmod eekbp_hello
            check hello-unloaded sh -c "dmesg | grep -q 'eekbp_hello: goodbye (canary$$)'"
            check own-modules modprobe veth
            check eth0-address sh -c "ip -4 addr show eth0 | grep -q '$EEKBP_GUEST_ADDR/24'"
            check ping-host busybox ping -c 1 -W 10 "$EEKBP_HOST_ADDR"

            sockperf server -i "$EEKBP_GUEST_ADDR" -p 11111 >"$RESULTS/server.log" 2>&1 &
            server=$!
            for _ in $(seq 100); do
                ss -lun | grep -q ':11111 ' && break
                sleep 0.1
            done
            check server-listening sh -c "ss -lun | grep -q ':11111 '"
            touch "$RESULTS/ready"
            for _ in $(seq 600); do
                [ -e "$RESULTS/host-done" ] && break
                sleep 0.2
            done
            check host-done test -e "$RESULTS/host-done"
            kill "$server"
            exit $rc
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void bootsLoadsModuleAndEchoesUdp(Kernel kernel) throws Exception {
        GuestSpec spec = GuestSpec.builder(kernel).name("foundation").script(SCRIPT)
                .nic(Nic.VIRTIO).timeout(Duration.ofMinutes(4)).build();
        ExecResult ping;
        long t0 = System.nanoTime();
        long readyMs;
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            g.awaitResultFile("ready", Duration.ofMinutes(3));
            readyMs = (System.nanoTime() - t0) / 1_000_000;
            ping = g.hostExec(Duration.ofSeconds(60), "sockperf", "ping-pong", "-i",
                    g.guestAddress(), "-p", "11111", "-t", "3", "--mps", "200");
            Files.writeString(g.results().resolve("host-done"), "");
            r = g.await();
        }
        System.out.printf("eekbp-guest: %s foundation boot to ready %d ms, to poweroff %d ms%n",
                kernel, readyMs, r.wallTime().toMillis());
        r.assertTestsPassed();
        assertThat(r.testLines()).hasSize(10);
        Matcher m = RECEIVED.matcher(ping.stdout() + ping.stderr());
        if (!m.find()) {
            throw r.failure("sockperf printed no ReceivedMessages (exit " + ping.exit() + "):\n"
                    + ping.stdout() + ping.stderr());
        }
        System.out.printf("eekbp-guest: %s sockperf: %s%n", kernel, ping.stdout().lines()
                .filter(l -> l.contains("ReceivedMessages") || l.contains("avg-latency"))
                .toList());
        assertThat(Long.parseLong(m.group(1))).as("UDP echo replies from the guest")
                .isGreaterThan(0);
    }

    /** The smallest boot (no NIC, no namespace, 2 vCPUs); measures boot to poweroff. */
    @Test
    void bootsWithoutNic() {
        Kernel kernel = Kernel.matrix().getLast();
        GuestResult r = Guest.run(GuestSpec.builder(kernel).name("bare").nic(Nic.NONE)
                .smp(2).memoryMb(512)
                .script("""
                        n=$(ls /sys/class/net | grep -cv '^lo$')
                        c=$(nproc)
                        echo "TEST: no-nic [$([ "$n" = 0 ] && echo ' OK ' || echo FAIL)]"
                        echo "TEST: two-cpus [$([ "$c" = 2 ] && echo ' OK ' || echo FAIL)]"
                        echo "TEST: tsc-reliable [$(grep -q tsc=reliable /proc/cmdline \
                            && echo ' OK ' || echo FAIL)]"
                        """)
                .timeout(Duration.ofMinutes(2)).build());
        System.out.printf("eekbp-guest: %s bare boot to poweroff %d ms%n", kernel,
                r.wallTime().toMillis());
        r.assertTestsPassed();
        assertThat(r.testLines()).hasSize(3);
    }

    /** e1000e on the newest kernel: modprobe inside the guest, ping both ways. */
    @Test
    void e1000eNicWorks() {
        Kernel kernel = Kernel.matrix().getLast();
        GuestSpec spec = GuestSpec.builder(kernel).name("e1000e").nic(Nic.E1000E)
                .script("""
                        rc=0
                        drv=$(basename "$(readlink /sys/class/net/eth0/device/driver)")
                        if [ "$drv" = e1000e ]; then echo "TEST: e1000e-driver [ OK ]"
                        else echo "TEST: e1000e-driver [FAIL] ($drv)"; rc=1; fi
                        if busybox ping -c 3 -W 5 "$EEKBP_HOST_ADDR" >/dev/null
                        then echo "TEST: ping-host [ OK ]"
                        else echo "TEST: ping-host [FAIL]"; rc=1; fi
                        touch "$RESULTS/ready"
                        for _ in $(seq 300); do [ -e "$RESULTS/host-done" ] && break; sleep 0.2; done
                        exit $rc
                        """)
                .timeout(Duration.ofMinutes(3)).build();
        GuestResult r;
        ExecResult ping;
        try (RunningGuest g = Guest.start(spec)) {
            g.awaitResultFile("ready", Duration.ofMinutes(2));
            ping = g.hostExec(Duration.ofSeconds(60), "busybox", "ping", "-c", "3", "-W", "10",
                    g.guestAddress());
            try {
                Files.writeString(g.results().resolve("host-done"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            r = g.await();
        }
        r.assertTestsPassed();
        if (!ping.ok()) {
            throw r.failure("host could not ping the e1000e guest:\n" + ping.stdout()
                    + ping.stderr());
        }
    }
}
