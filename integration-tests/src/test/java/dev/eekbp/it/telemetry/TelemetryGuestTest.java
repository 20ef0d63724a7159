package dev.eekbp.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.bmc.BmcSimulator;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One boot: the guest's real ipmi_si + ipmi_devintf drivers talk KCS to
 * BmcSimulator through QEMU's ipmi-bmc-extern; the agent's PowerProbeMain
 * reads DCMI through /dev/ipmi0 while the simulator answers normally, with
 * 0xC1 and with zeros. ipmitool reads the same BMC for comparison. Then the
 * telemetry service runs at 1 s and 100 ms intervals on the guest's real
 * /proc and /sys (and the eekbp module's stats when it is built) and reports
 * its CPU share and RSS.
 */
class TelemetryGuestTest {
    static final String KERNEL = "6.1.0-56-amd64";
    static final BmcSimulator.Reading READING = new BmcSimulator.Reading(187, 120, 260, 190, 60_000);

    private static final String SCRIPT = """
            rc=0
            ok() { echo "TEST: $1 [ OK ]"; }
            ko() { echo "TEST: $1 [FAIL]"; rc=1; }
            check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

            modprobe ipmi_si && modprobe ipmi_devintf
            for _ in $(seq 100); do [ -e /dev/ipmi0 ] && break; sleep 0.2; done
            check ipmi-device test -c /dev/ipmi0
            J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
            JAR=$EEKBP_ROOT/agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar
            probe() {
                echo "$1" > "$RESULTS/bmc-mode"
                t0=$(date +%s%N)
                "$J" -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \\
                    -cp "$JAR" dev.eekbp.agent.telemetry.PowerProbeMain --rapl off --ipmi /dev/ipmi0 \\
                    >"$RESULTS/probe-$1.json" 2>"$RESULTS/probe-$1.err"
                echo $? >"$RESULTS/probe-$1.rc"
                echo "probe $1: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
                cat "$RESULTS/probe-$1.json"
            }
            probe normal
            probe c1
            probe zeros
            echo normal > "$RESULTS/bmc-mode"
            check ipmitool-reads ipmitool dcmi power reading >"$RESULTS/ipmitool.txt" 2>&1
            cat "$RESULTS/ipmitool.txt"
            t0=$(date +%s%N)
            for _ in $(seq 3); do ipmitool dcmi power reading >/dev/null 2>&1; done
            echo $(( ($(date +%s%N) - t0) / 3000 )) >"$RESULTS/ipmitool-us-per-read"

            # agent telemetry cost in this guest, DCMI included, at 1 s and 100 ms
            if [ -e "$MODDIR/eekbp_testfreq.ko" ] && insmod "$MODDIR/eekbp_testfreq.ko"; then
                echo loaded >"$RESULTS/testfreq"
            fi
            if [ -e "$MODDIR/eekbp.ko" ] && insmod "$MODDIR/eekbp.ko"; then
                echo loaded >"$RESULTS/module"
                cat /sys/kernel/eekbp/stats
            fi
            "$J" -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
                -cp "$JAR" dev.eekbp.agent.telemetry.TelemetryMain --interval-ms 1000,100 --seconds 8 \
                --rapl off --ipmi /dev/ipmi0 --jsonl /tmp/telemetry.jsonl \
                >"$RESULTS/cost.json" 2>"$RESULTS/cost.err"
            cat "$RESULTS/cost.json"
            tail -n 1 /tmp/telemetry.jsonl >"$RESULTS/last.jsonl"
            sync
            exit $rc
            """;

    @Test
    void agentReadsDcmiAndReportsUnsupportedAndZeroBmcsAsUnavailable() throws Exception {
        Kernel kernel = Kernel.of(KERNEL).requireBuilt();
        Path jar = Kernel.repoRoot().resolve("agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar");
        assertThat(jar).as("agent jar (make agent)").exists();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "eekbp-it-bmc-");
        GuestResult r;
        try (BmcSimulator bmc = new BmcSimulator(dir.resolve("bmc.sock"), READING)) {
            GuestSpec spec = GuestSpec.builder(kernel).name("telemetry-bmc").script(SCRIPT).nic(Nic.NONE)
                    .memoryMb(1024).qemuArgs(bmc.qemuArgs()).timeout(Duration.ofMinutes(5)).build();
            try (RunningGuest g = Guest.start(spec)) {
                bmc.controlFile(g.results().resolve("bmc-mode"));
                r = g.await();
            }
            assertThat(bmc.connections()).as("QEMU connected to the simulator").isPositive();
            assertThat(bmc.count("06/01")).as("Get Device ID from ipmi_si").isPositive();
            assertThat(bmc.count("dcmi-c1")).isPositive();
            assertThat(bmc.count("dcmi-zeros")).isPositive();
        } finally {
            Files.deleteIfExists(dir.resolve("bmc.sock"));
            Files.deleteIfExists(dir);
        }
        r.assertTestsPassed();

        String normal = r.file("probe-normal.json");
        assertThat(r.file("probe-normal.rc").trim()).as(r.file("probe-normal.err")).isEqualTo("0");
        assertThat(normal).contains("\"source\":\"ipmi-dcmi\"", "\"available\":true", "\"current_watts\":187",
                "\"min_watts\":120", "\"max_watts\":260", "\"average_watts\":190", "\"period_ms\":60000",
                "\"active\":true", "\"power_watts\":187.0");

        String c1 = r.file("probe-c1.json");
        assertThat(r.file("probe-c1.rc").trim()).isEqualTo("3");
        assertThat(c1).contains("\"available\":false", "completion code 0xc1").doesNotContain("watts");

        String zeros = r.file("probe-zeros.json");
        assertThat(r.file("probe-zeros.rc").trim()).isEqualTo("3");
        assertThat(zeros).contains("\"available\":false", "all zeros").doesNotContain("watts");

        assertThat(r.file("ipmitool.txt")).containsPattern("Instantaneous power reading:\\s+187 Watts");
        System.out.println("ipmitool dcmi power reading: " + r.file("ipmitool-us-per-read").trim()
                + " us per read (TCG guest); agent: " + normal);

        // telemetry service in the guest: real /proc and /sys, DCMI through the simulator
        String[] cost = r.file("cost.json").strip().split("\n");
        assertThat(cost).as(r.file("cost.err")).hasSize(2);
        assertThat(cost[0]).contains("\"interval_ms\":1000");
        assertThat(cost[1]).contains("\"interval_ms\":100,");
        for (String c : cost) {
            System.out.println("guest telemetry cost: " + c);
        }
        String last = r.file("last.jsonl");
        System.out.println("guest telemetry last JSON line: " + last.trim());
        assertThat(last).contains("\"dcmi\":{\"current_watts\":187");
        if (Files.exists(r.path("module"))) {
            assertThat(cost[1]).doesNotContain("kernel stats");
            assertThat(last).contains("\"kernel\":{\"threads\":");
        }
        if (Files.exists(r.path("testfreq"))) {
            assertThat(cost[1]).doesNotContain("cpufreq");
        }
    }
}
