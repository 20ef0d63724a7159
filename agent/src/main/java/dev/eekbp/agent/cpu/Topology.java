package dev.eekbp.agent.cpu;

import java.util.ArrayList;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/** CPU inventory for `eekbp status`, from OSHI. */
public final class Topology {
    private Topology() {
    }

    /** Lines such as "model: ...", "packages: 1, cores: 2, threads: 2", "max MHz: 2400". */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        try {
            CentralProcessor p = new SystemInfo().getHardware().getProcessor();
            out.add("model: " + p.getProcessorIdentifier().getName().strip());
            out.add("packages: " + p.getPhysicalPackageCount() + ", cores: " + p.getPhysicalProcessorCount()
                    + ", threads: " + p.getLogicalProcessorCount());
            long max = p.getMaxFreq();
            out.add("max frequency: " + (max > 0 ? max / 1_000_000 + " MHz" : "unknown"));
            long[] cur = p.getCurrentFreq();
            StringBuilder sb = new StringBuilder("current MHz:");
            for (long f : cur) {
                sb.append(' ').append(f > 0 ? Long.toString(f / 1_000_000) : "?");
            }
            out.add(sb.toString());
        } catch (RuntimeException | LinkageError e) {
            out.add("topology unavailable: " + e.getMessage());
        }
        return out;
    }
}
