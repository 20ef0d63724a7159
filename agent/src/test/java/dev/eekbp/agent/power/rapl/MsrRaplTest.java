package dev.eekbp.agent.power.rapl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Register values recorded on real machines (rdmsr). */
class MsrRaplTest {
    /** Intel Skylake-SP MSR_RAPL_POWER_UNIT. */
    static final long INTEL_UNITS = 0x000A0E03L;
    /** AMD Zen 2 (family 17h) MSR 0xC0010299. */
    static final long AMD_UNITS = 0x000A1003L;

    @Test
    void intelUnits() {
        assertThat(MsrRapl.energyUnitJoules(INTEL_UNITS)).isEqualTo(1.0 / 16384); // 61.035 uJ
        assertThat(MsrRapl.powerUnitWatts(INTEL_UNITS)).isEqualTo(0.125);
        assertThat(MsrRapl.timeUnitSeconds(INTEL_UNITS)).isEqualTo(1.0 / 1024);
    }

    @Test
    void amdUnits() {
        assertThat(MsrRapl.energyUnitJoules(AMD_UNITS) * 1e6).isCloseTo(15.2587890625, within(1e-9));
        assertThat(MsrRapl.powerUnitWatts(AMD_UNITS)).isEqualTo(0.125);
    }

    @Test
    void energyCounterIgnoresReservedHighBits() {
        assertThat(MsrRapl.energyCounter(0xDEAD_BEEF_1234_5678L)).isEqualTo(0x1234_5678L);
    }

    @Test
    void deltaAcrossA32BitWrap() {
        assertThat(MsrRapl.counterDelta(0xFFFF_FF00L, 0x0000_0100L)).isEqualTo(0x200);
        assertThat(MsrRapl.counterDelta(0x1000, 0x3000)).isEqualTo(0x2000);
    }

    @Test
    void intelPackageEnergyBetweenTwoReadings() {
        // two PKG_ENERGY_STATUS readings 1 s apart on an idle Xeon: 0x0F4A2B10 -> 0x0F4E6D7C
        long ticks = MsrRapl.counterDelta(0x0F4A_2B10L, 0x0F4E_6D7CL);
        double uj = MsrRapl.toMicrojoules(ticks, MsrRapl.energyUnitJoules(INTEL_UNITS));
        assertThat(ticks).isEqualTo(279_148);
        assertThat(uj / 1e6).isCloseTo(17.0378, within(1e-4)); // ~17 W
    }

    @Test
    void wrapAccumulatorWithTheMsrRangeMatchesCounterDelta() {
        WrapAccumulator a = new WrapAccumulator(new long[] {MsrRapl.COUNTER_RANGE});
        a.update(0, 0xFFFF_FFF0L);
        a.update(0, 0x10L);
        assertThat(a.total(0)).isEqualTo(MsrRapl.counterDelta(0xFFFF_FFF0L, 0x10L));
    }

    @Test
    void serverDramUsesTheFixedUnit() {
        String skx = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Xeon\n";
        int[] fm = MsrRapl.familyModel(skx);
        assertThat(fm).containsExactly(6, 0x55);
        double unit = MsrRapl.energyUnitJoules(INTEL_UNITS);
        MsrRapl.Domain dram = MsrRapl.INTEL_DOMAINS[3];
        MsrRapl.Domain pkg = MsrRapl.INTEL_DOMAINS[0];
        assertThat(MsrRapl.domainUnitJoules(dram, fm[0], fm[1], unit)).isEqualTo(15.3e-6);
        assertThat(MsrRapl.domainUnitJoules(pkg, fm[0], fm[1], unit)).isEqualTo(unit);
        // a client part (Kaby Lake, model 158) keeps the unit MSR's value for DRAM
        assertThat(MsrRapl.domainUnitJoules(dram, 6, 158, unit)).isEqualTo(unit);
    }
}
