package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Opens the /proc and /sys readers a machine may lack; each returns null
 * and appends the operator-readable reason to {@code missing} when it cannot.
 */
public final class OptionalReaders {
    private OptionalReaders() {
    }

    public static SoftirqsReader softirqs(TelemetryPaths paths, List<String> missing) {
        try {
            return SoftirqsReader.open(paths.proc().resolve("softirqs"));
        } catch (IOException e) {
            missing.add("softirqs: " + e);
            return null;
        }
    }

    /** hardIRQ counts of {@code devices} (empty = every physical NIC). */
    public static InterruptsReader nicInterrupts(TelemetryPaths paths, List<String> devices, List<String> missing) {
        try {
            var procInt = paths.proc().resolve("interrupts");
            List<String> nics = NicIrqs.netdevs(paths.sysClassNet(), devices);
            int[] nums = NicIrqs.discover(paths.sysClassNet(), nics, Files.readString(procInt));
            if (nums.length == 0) {
                missing.add("NIC hardIRQs: no IRQ found for " + (nics.isEmpty() ? "any NIC" : nics));
            }
            return InterruptsReader.open(procInt, nums);
        } catch (IOException e) {
            missing.add("NIC hardIRQs: " + e);
            return null;
        }
    }

    public static CpufreqReader cpufreq(TelemetryPaths paths, List<String> missing) {
        try {
            CpufreqReader cf = CpufreqReader.open(paths.sysCpu());
            if (cf.size() == 0) {
                missing.add("cpufreq: no CPU has a cpufreq policy");
            }
            return cf;
        } catch (IOException e) {
            missing.add("cpufreq: " + e);
            return null;
        }
    }
}
