package dev.eekbp.agent.cpu;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import java.util.Optional;

/** The set of online CPUs (/sys/devices/system/cpu/online). */
public final class OnlineCpus {
    private OnlineCpus() {
    }

    public static Optional<CpuList> read(SysfsTree fs) {
        return fs.tryRead("sys/devices/system/cpu/online").flatMap(s -> {
            try {
                return Optional.of(CpuList.parse(s.strip()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
