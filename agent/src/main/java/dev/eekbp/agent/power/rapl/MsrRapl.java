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

    /**
     * Intel server parts (Haswell-EP and later Xeons, Xeon Phi) count DRAM
     * energy in a fixed 15.3 uJ unit, not the unit MSR's (as Linux's
     * intel_rapl does for these models).
     */
    public static final double SERVER_DRAM_UNIT_JOULES = 15.3e-6;

    /** Family 6 models with the fixed DRAM unit: HSX, BDX, BDX-DE, SKX/CLX/CPX, ICX, ICX-D, SPR, EMR, GNR, KNL, KNM. */
    private static final java.util.Set<Integer> FIXED_DRAM_UNIT_MODELS = java.util.Set.of(0x3F, 0x4F, 0x56, 0x55,
            0x6A, 0x6C, 0x8F, 0xCF, 0xAD, 0x57, 0x85);

    /** The energy unit of a domain: the fixed DRAM unit on the server models above, else {@code unitJoules}. */
    public static double domainUnitJoules(Domain d, int family, int model, double unitJoules) {
        boolean fixed = d.msr() == INTEL_DRAM_ENERGY && family == 6 && FIXED_DRAM_UNIT_MODELS.contains(model);
        return fixed ? SERVER_DRAM_UNIT_JOULES : unitJoules;
    }

    /** "cpu family" and "model" of the first CPU in /proc/cpuinfo; -1 when absent. */
    public static int[] familyModel(String cpuinfo) {
        int family = -1;
        int model = -1;
        for (String line : cpuinfo.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String k = line.substring(0, colon).strip();
            String v = line.substring(colon + 1).strip();
            try {
                if (k.equals("cpu family") && family < 0) {
                    family = Integer.parseInt(v);
                } else if (k.equals("model") && model < 0) {
                    model = Integer.parseInt(v);
                }
            } catch (NumberFormatException e) {
                // leave unknown
            }
            if (family >= 0 && model >= 0) {
                break;
            }
        }
        return new int[] {family, model};
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
