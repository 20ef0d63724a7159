package dev.eekbp.agent.cpu;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-CPU C-state exit latency caps (power/pm_qos_resume_latency_us) of the served CPUs. */
public final class ResumeLatency {
    private final SysfsTree fs;

    public ResumeLatency(SysfsTree fs) {
        this.fs = fs;
    }

    private static String file(int cpu) {
        return "sys/devices/system/cpu/cpu" + cpu + "/power/pm_qos_resume_latency_us";
    }

    /** The caps {@link #set} would replace: CPU to its current value. */
    public Map<Integer, String> planned(CpuList cpus) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int cpu : cpus.stream().toArray()) {
            fs.tryRead(file(cpu)).ifPresent(v -> out.put(cpu, v.strip()));
        }
        return out;
    }

    /** Writes the cap on every served CPU; returns the previous values. Rolls back on failure. */
    public Map<Integer, String> set(CpuList cpus, int microseconds) throws CpuException {
        Map<Integer, String> previous = new LinkedHashMap<>();
        for (int cpu : cpus.stream().toArray()) {
            var old = fs.tryRead(file(cpu));
            if (old.isEmpty()) {
                restore(previous);
                throw new CpuException("CPU " + cpu + " has no " + fs.path(file(cpu))
                        + ": set [placement] resume_latency_us = -1 on this machine");
            }
            try {
                fs.write(file(cpu), Integer.toString(microseconds));
                previous.put(cpu, old.get().strip());
            } catch (IOException e) {
                restore(previous);
                throw new CpuException("cannot write " + microseconds + " to " + fs.path(file(cpu)) + ": "
                        + e.getMessage(), e);
            }
        }
        return previous;
    }

    public List<Integer> restore(Map<Integer, String> previous) {
        List<Integer> failed = new ArrayList<>();
        previous.forEach((cpu, v) -> {
            try {
                fs.write(file(cpu), v);
            } catch (IOException e) {
                failed.add(cpu);
            }
        });
        return failed;
    }
}
