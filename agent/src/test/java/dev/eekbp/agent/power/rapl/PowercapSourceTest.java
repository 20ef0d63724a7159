package dev.eekbp.agent.power.rapl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowercapSourceTest {
    static final long RANGE0 = 262_143_328_850L;
    static final long RANGE1 = 65_532_610_987L;

    @TempDir
    Path root;

    private void zone(String id, String name, long range, long energy) throws IOException {
        Path z = Files.createDirectories(root.resolve(id));
        Files.writeString(z.resolve("name"), name + "\n");
        Files.writeString(z.resolve("max_energy_range_uj"), range + "\n");
        Files.writeString(z.resolve("energy_uj"), energy + "\n");
        Files.writeString(z.resolve("enabled"), "1\n");
    }

    private void energy(String id, long uj) throws IOException {
        Files.writeString(root.resolve(id).resolve("energy_uj"), uj + "\n");
    }

    /** Two sockets with subzones; package-1 wraps once, nothing else does. */
    private void twoSockets() throws IOException {
        Files.createDirectories(root.resolve("intel-rapl")); // the control type, not a zone
        zone("intel-rapl:0", "package-0", RANGE0, 1_000_000);
        zone("intel-rapl:0:0", "core", RANGE0, 500_000);
        zone("intel-rapl:0:1", "dram", RANGE1, 10);
        zone("intel-rapl:1", "package-1", RANGE1, RANGE1 - 3_000_000);
        zone("intel-rapl:1:0", "core", RANGE1, 42);
    }

    @Test
    void discoversEveryZoneAndSubzoneWithLabels() throws IOException {
        twoSockets();
        try (PowercapSource s = new PowercapSource(root)) {
            assertThat(s.availability().available()).isTrue();
            assertThat(s.domainCount()).isEqualTo(5);
            assertThat(java.util.stream.IntStream.range(0, 5).mapToObj(s::domainName))
                    .containsExactly("package-0", "package-0/core", "package-0/dram", "package-1", "package-1/core");
            assertThat(s.topLevel(0)).isTrue();
            assertThat(s.topLevel(1)).isFalse();
            assertThat(s.topLevel(3)).isTrue();
        }
    }

    @Test
    void wrapOnOneZoneOfTwoSocketsGivesExactEnergy() throws IOException {
        twoSockets();
        try (PowercapSource s = new PowercapSource(root)) {
            long t = 1_000_000_000L;
            s.sample(t);
            // 1 s later: package-0 +40 J, package-1 wraps after +5 J (3 J to the range, 2 J past 0)
            energy("intel-rapl:0", 41_000_000);
            energy("intel-rapl:0:0", 20_500_000);
            energy("intel-rapl:0:1", 1_000_010);
            energy("intel-rapl:1", 2_000_000);
            energy("intel-rapl:1:0", 1_000_042);
            s.sample(t + 1_000_000_000L);
            assertThat(s.energyMicrojoules(0)).isEqualTo(40_000_000);
            assertThat(s.energyMicrojoules(1)).isEqualTo(20_000_000);
            assertThat(s.energyMicrojoules(2)).isEqualTo(1_000_000);
            assertThat(s.energyMicrojoules(3)).isEqualTo(5_000_000);
            assertThat(s.energyMicrojoules(4)).isEqualTo(1_000_000);
            assertThat(s.wraps(3)).isEqualTo(1);
            assertThat(s.wraps(0) + s.wraps(1) + s.wraps(2) + s.wraps(4)).isZero();
            assertThat(s.watts(0)).isEqualTo(40.0);
            assertThat(s.watts(3)).isEqualTo(5.0);
            // a second interval without wrap keeps accumulating in 64 bits
            energy("intel-rapl:1", 9_000_000);
            s.sample(t + 2_000_000_000L);
            assertThat(s.energyMicrojoules(3)).isEqualTo(12_000_000);
            assertThat(s.watts(3)).isEqualTo(7.0);
        }
    }

    @Test
    void firstSampleHasNoPower() throws IOException {
        twoSockets();
        try (PowercapSource s = new PowercapSource(root)) {
            s.sample(5);
            assertThat(s.watts(0)).isNaN();
            assertThat(s.energyMicrojoules(0)).isZero();
        }
    }

    @Test
    void safeIntervalCoversTheFastestWrap() throws IOException {
        twoSockets();
        for (String z : new String[] {"intel-rapl:1", "intel-rapl:1:0", "intel-rapl:0:1"}) {
            Files.writeString(root.resolve(z).resolve("constraint_0_max_power_uw"), "150000000\n");
        }
        try (PowercapSource s = new PowercapSource(root)) {
            // 65532 J at 2 x 150 W = 218 s, halved = 109 s; package-0 at the assumed 1000 W: 131 s
            assertThat(s.maxSafeIntervalNanos()).isBetween(100_000_000_000L, 110_000_000_000L);
        }
    }

    @Test
    void missingTreeIsUnavailableWithReason() {
        try (PowercapSource s = new PowercapSource(root.resolve("absent"))) {
            assertThat(s.availability().available()).isFalse();
            assertThat(s.availability().reason()).contains("powercap");
            assertThat(s.sample(1)).isFalse();
        }
    }

    @Test
    void treeWithoutRaplZonesIsUnavailable() throws IOException {
        Files.createDirectories(root.resolve("dtpm"));
        try (PowercapSource s = new PowercapSource(root)) {
            assertThat(s.availability().available()).isFalse();
            assertThat(s.availability().reason()).contains("no RAPL zones");
        }
    }

    @Test
    void accumulatorAddsTheRangeOnlyOnTheZoneThatDropped() {
        WrapAccumulator a = new WrapAccumulator(new long[] {100, 1000});
        a.update(0, 90);
        a.update(1, 500);
        a.update(0, 10); // wrapped: 10 to the range, 10 past it
        a.update(1, 600);
        assertThat(a.total(0)).isEqualTo(20);
        assertThat(a.total(1)).isEqualTo(100);
    }
}
