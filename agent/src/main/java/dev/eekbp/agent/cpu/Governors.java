package dev.eekbp.agent.cpu;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** cpufreq governors of the served CPUs: check support, switch to userspace, restore. */
public final class Governors {
    public static final String USERSPACE = "userspace";

    private final SysfsTree fs;
    private final ModuleProbe probe;

    /** @param probe loads cpufreq_userspace when the governor is missing */
    public Governors(SysfsTree fs, ModuleProbe probe) {
        this.fs = fs;
        this.probe = probe;
    }

    private static String dir(int cpu) {
        return "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/";
    }

    /** Can the served CPUs use the userspace governor? Names the boot fix if not. */
    public FreqSupport check(CpuList cpus) {
        int first = cpus.stream().findFirst().orElse(0);
        String driver = fs.tryRead(dir(first) + "scaling_driver").orElse("").strip();
        if (driver.isEmpty()) {
            return FreqSupport.unusable("none", "no cpufreq driver for CPU " + first
                    + " (virtual machine or BIOS-controlled power management); frequency control stays off");
        }
        if (driver.equals("intel_pstate")) {
            return FreqSupport.unusable(driver, "intel_pstate runs in active mode, which has no userspace"
                    + " governor: boot with intel_pstate=passive (or write 'passive' to"
                    + " /sys/devices/system/cpu/intel_pstate/status); frequency control stays off");
        }
        if (driver.equals("amd-pstate-epp")) {
            return FreqSupport.unusable(driver, "amd-pstate runs in EPP (active) mode, which has no userspace"
                    + " governor: boot with amd_pstate=passive (or write 'passive' to"
                    + " /sys/devices/system/cpu/amd_pstate/status); frequency control stays off");
        }
        if (!available(first).contains(USERSPACE)) {
            probe.load("cpufreq_userspace");
            if (!available(first).contains(USERSPACE)) {
                return FreqSupport.unusable(driver, "cpufreq driver " + driver + " offers no userspace governor"
                        + " (modprobe cpufreq_userspace failed?); frequency control stays off");
            }
        }
        return FreqSupport.ok(driver);
    }

    private List<String> available(int cpu) {
        return List.of(fs.tryRead(dir(cpu) + "scaling_available_governors").orElse("").strip().split("\\s+"));
    }

    public String current(int cpu) {
        return fs.tryRead(dir(cpu) + "scaling_governor").orElse("").strip();
    }

    /** The governors {@link #switchToUserspace} would replace: CPU to current governor, userspace left out. */
    public Map<Integer, String> planned(CpuList cpus) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int cpu : cpus.stream().toArray()) {
            String cur = current(cpu);
            if (!cur.equals(USERSPACE) && !cur.isEmpty()) {
                out.put(cpu, cur);
            }
        }
        return out;
    }

    /**
     * Switches every served CPU to userspace and returns the previous governor
     * per CPU; on failure the CPUs switched so far are put back.
     */
    public Map<Integer, String> switchToUserspace(CpuList cpus) throws CpuException {
        Map<Integer, String> previous = new LinkedHashMap<>();
        for (int cpu : cpus.stream().toArray()) {
            String old = current(cpu);
            if (old.equals(USERSPACE)) {
                continue;
            }
            try {
                fs.write(dir(cpu) + "scaling_governor", USERSPACE);
                previous.put(cpu, old);
            } catch (IOException e) {
                restore(previous);
                throw new CpuException("cannot set governor userspace on CPU " + cpu + " ("
                        + fs.path(dir(cpu) + "scaling_governor") + "): " + e.getMessage(), e);
            }
        }
        return previous;
    }

    /** Puts previous governors back; returns the CPUs that failed (empty if all worked). */
    public List<Integer> restore(Map<Integer, String> previous) {
        List<Integer> failed = new java.util.ArrayList<>();
        previous.forEach((cpu, gov) -> {
            try {
                if (!gov.isEmpty()) {
                    fs.write(dir(cpu) + "scaling_governor", gov);
                }
            } catch (IOException e) {
                failed.add(cpu);
            }
        });
        return failed;
    }

    /** Current frequency in kHz, or -1. */
    public long currentKhz(int cpu) {
        try {
            return Long.parseLong(fs.tryRead(dir(cpu) + "scaling_cur_freq").orElse("-1").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
