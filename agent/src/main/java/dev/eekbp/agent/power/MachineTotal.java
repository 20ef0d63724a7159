package dev.eekbp.agent.power;

import java.util.List;

/**
 * The machine's power from the power sources: the first available source,
 * and of its domains psys (the whole SoC platform) alone when present, else
 * every package; subzones and MMIO zones repeat package counters and never
 * count. Allocates nothing.
 */
public final class MachineTotal {
    private MachineTotal() {
    }

    /** The source whose domains give the machine's power, or null. */
    public static PowerSource primary(List<PowerSource> sources) {
        for (int i = 0; i < sources.size(); i++) { // indexed: no iterator on the sample path
            PowerSource s = sources.get(i);
            if (s.availability().available() && s.domainCount() > 0) {
                return s;
            }
        }
        return null;
    }

    /** Whether domain d adds to the machine total; {@code psys} = hasPsys(p). */
    public static boolean counts(PowerSource p, int d, boolean psys) {
        String n = p.domainName(d);
        if (!p.topLevel(d) || n.startsWith("mmio:")) {
            return false;
        }
        return psys == isPsys(n);
    }

    public static boolean hasPsys(PowerSource p) {
        for (int d = 0; d < p.domainCount(); d++) {
            if (p.topLevel(d) && isPsys(p.domainName(d))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPsys(String domainName) {
        return domainName.equals("psys") || domainName.endsWith("/psys");
    }

    /** Energy of the counted domains of p since its first sample, in microjoules. */
    public static long energyMicrojoules(PowerSource p) {
        boolean psys = hasPsys(p);
        long uj = 0;
        for (int d = 0; d < p.domainCount(); d++) {
            if (counts(p, d, psys)) {
                uj += p.energyMicrojoules(d);
            }
        }
        return uj;
    }

    /** Power of the counted domains of p over its last sample interval; NaN until known. */
    public static double watts(PowerSource p) {
        boolean psys = hasPsys(p);
        double w = 0;
        for (int d = 0; d < p.domainCount(); d++) {
            if (counts(p, d, psys)) {
                w += p.watts(d);
            }
        }
        return w;
    }
}
