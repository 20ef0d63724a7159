package dev.eekbp.agent.power.rapl;

/**
 * RAPL model-specific registers and the decoding of their values (Intel SDM
 * vol. 4, AMD PPR for family 17h+). Pure functions, tested against recorded
 * register values.
 */
public final class MsrRapl {
    public static final long INTEL_POWER_UNIT = 0x606;
    public static final long INTEL_PKG_ENERGY = 0x611;
    public static final long INTEL_DRAM_ENERGY = 0x619;
    public static final long INTEL_PP0_ENERGY = 0x639;
    public static final long INTEL_PP1_ENERGY = 0x641;
    public static final long INTEL_PSYS_ENERGY = 0x64D;
    public static final long AMD_POWER_UNIT = 0xC0010299L;
    public static final long AMD_CORE_ENERGY = 0xC001029AL;
    public static final long AMD_PKG_ENERGY = 0xC001029BL;
    /** The energy status counters are 32 bits wide. */
    public static final long COUNTER_RANGE = 1L << 32;

    /** A RAPL energy domain: its register and its label. */
    public record Domain(String label, long msr) {
    }

    public static final Domain[] INTEL_DOMAINS = {
        new Domain("package", INTEL_PKG_ENERGY),
        new Domain("core", INTEL_PP0_ENERGY),
        new Domain("uncore", INTEL_PP1_ENERGY),
        new Domain("dram", INTEL_DRAM_ENERGY),
        new Domain("psys", INTEL_PSYS_ENERGY),
    };

    public static final Domain[] AMD_DOMAINS = {
        new Domain("package", AMD_PKG_ENERGY),
    };

    private MsrRapl() {
    }

    /** Energy status unit in joules: 1 / 2^ESU, ESU = bits 12:8 of the unit MSR. */
    public static double energyUnitJoules(long unitMsr) {
        int esu = (int) ((unitMsr >>> 8) & 0x1F);
        return 1.0 / (1L << esu);
    }

    /** Power unit in watts: 1 / 2^PU, PU = bits 3:0. */
    public static double powerUnitWatts(long unitMsr) {
        return 1.0 / (1L << (unitMsr & 0xF));
    }

    /** Time unit in seconds: 1 / 2^TU, TU = bits 19:16. */
    public static double timeUnitSeconds(long unitMsr) {
        return 1.0 / (1L << ((unitMsr >>> 16) & 0xF));
    }

    /** The 32-bit energy counter of an energy status MSR value. */
    public static long energyCounter(long statusMsr) {
        return statusMsr & 0xFFFF_FFFFL;
    }

    /** Counter ticks between two readings, allowing one 32-bit wrap. */
    public static long counterDelta(long previous, long current) {
        return (energyCounter(current) - energyCounter(previous)) & 0xFFFF_FFFFL;
    }

    /** Ticks to microjoules. */
    public static double toMicrojoules(long ticks, double unitJoules) {
        return ticks * unitJoules * 1e6;
    }
}
