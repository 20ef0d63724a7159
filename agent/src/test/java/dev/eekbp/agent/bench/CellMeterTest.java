package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.power.Availability;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.telemetry.FakeSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Differences over a cell on a generated tree (parsing and arithmetic only). */
class CellMeterTest {
    @TempDir
    Path dir;

    /** 2 J per sample on one top-level domain. */
    static final class CountingSource implements PowerSource {
        long uj;

        @Override
        public String id() {
            return "test-rapl";
        }

        @Override
        public Availability availability() {
            return Availability.AVAILABLE;
        }

        @Override
        public int domainCount() {
            return 2;
        }

        @Override
        public String domainName(int d) {
            return d == 0 ? "package-0" : "package-0/core";
        }

        @Override
        public boolean sample(long now) {
            uj += 2_000_000;
            return true;
        }

        @Override
        public long energyMicrojoules(int d) {
            return d == 0 ? uj : uj / 2;
        }

        @Override
        public double watts(int d) {
            return Double.NaN;
        }

        @Override
        public boolean topLevel(int d) {
            return d == 0;
        }

        @Override
        public long maxSafeIntervalNanos() {
            return 60_000_000_000L;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void reportsDifferencesOfTheServedCpus() throws Exception {
        FakeSystem fs = new FakeSystem(dir).build();
        Path stat = dir.resolve("proc/stat");
        Files.writeString(stat, "cpu0 10 0 10 100 0 0 0 0\ncpu1 10 0 10 100 0 0 0 0\n");
        Path rx = Files.createDirectories(dir.resolve("sys/class/net/eth0/statistics")).resolve("rx_packets");
        Files.writeString(rx, "1000\n");
        fs.thread(201, "napi/eth0-8193", 0, 10);
        try (CellMeter m = CellMeter.open(fs.paths(), List.of(new CountingSource()), CpuList.of(1),
                List.of("eth0"))) {
            assertThat(m.unavailable()).isEmpty();
            m.begin(0);
            Files.writeString(dir.resolve("proc/softirqs"), FakeSystem.SOFTIRQS.replace("1500        820",
                    "1900        900"));
            Files.writeString(dir.resolve("proc/interrupts"), FakeSystem.INTERRUPTS.replace("1200         34",
                    "1300         40"));
            Files.writeString(stat, "cpu0 99 0 99 100 0 0 0 0\ncpu1 30 0 20 150 0 0 0 0\n");
            fs.thread(101, "eekbp/1", 0, 57);
            fs.thread(201, "napi/eth0-8193", 0, 30);
            Files.writeString(rx, "1212\n");
            fs.statsBin(FakeSystem.stats(2, 2));
            Path cpu1 = dir.resolve("sys/devices/system/cpu/cpu1/cpufreq");
            Files.writeString(cpu1.resolve("stats/total_trans"), "9\n");
            Files.writeString(cpu1.resolve("stats/time_in_state"), "800000 1580\n1600000 250\n2400000 70\n");
            m.tick(500_000_000L);
            CellResult r = m.end(BenchMode.EEKBP, 2, 100, 2_000_000_000L, "", CellMeter.ProbeFigures.NONE);
            assertThat(r.seconds()).isEqualTo(2.0);
            assertThat(r.netRx()).isEqualTo(80);
            assertThat(r.hardIrqs()).isEqualTo(100 + 6);
            assertThat(r.busyShare()).isCloseTo(30.0 / 80, within(1e-9));
            // eekbp/1 0.5 s (started during the cell) + napi/eth0 0.2 s
            assertThat(r.pollCpuSeconds()).isCloseTo(0.7, within(1e-9));
            assertThat(r.ratePps()).isEqualTo(100);
            assertThat(r.rxPackets()).isEqualTo(212);
            assertThat(r.hardIrqsPerPacket()).isCloseTo(106.0 / 212, within(1e-12));
            assertThat(r.netRxPerPacket()).isCloseTo(80.0 / 212, within(1e-12));
            assertThat(r.wakesPerPacket()).isCloseTo(3008.0 / 212, within(1e-12));
            assertThat(r.microjoulesPerPacket()).isCloseTo(4e6 / 212, within(1e-6));
            assertThat(r.wakes()).isEqualTo(1004 + 2004);
            assertThat(r.freqTransitions()).isEqualTo(6);
            assertThat(r.minFreqShare()).isCloseTo(0.8, within(1e-9));
            assertThat(r.powerSource()).isEqualTo("test-rapl");
            // begin, tick and end each sampled once: 2 samples of 2 J after begin
            assertThat(r.joules()).isCloseTo(4.0, within(1e-9));
            assertThat(r.watts()).isCloseTo(2.0, within(1e-9));
            assertThat(r.p50Us()).isNaN();
        }
    }

    @Test
    void withoutModuleOrCountersGivesNotMeasured() throws Exception {
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/stat"), "cpu0 1 0 1 10 0 0 0 0\n");
        try (CellMeter m = CellMeter.open(dev.eekbp.agent.telemetry.TelemetryPaths.under(dir), List.of(),
                CpuList.of(0), List.of())) {
            assertThat(m.unavailable()).anyMatch(u -> u.startsWith("softirqs: "))
                    .anyMatch(u -> u.startsWith("NIC hardIRQs"));
            m.begin(0);
            CellResult r = m.end(BenchMode.NAPI, 1, 0, 1_000_000_000L, "", CellMeter.ProbeFigures.NONE);
            assertThat(r.wakes()).isNaN();
            assertThat(r.pollCpuSeconds()).isNaN();
            assertThat(r.joules()).isNaN();
            assertThat(r.powerSource()).isEmpty();
            assertThat(r.netRx()).isZero();
            assertThat(r.rxPackets()).isZero();
            assertThat(r.hardIrqsPerPacket()).isNaN();
            assertThat(r.microjoulesPerPacket()).isNaN();
        }
    }
}
