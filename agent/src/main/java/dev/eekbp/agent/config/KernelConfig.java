package dev.eekbp.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * [kernel] section. {@code moduleDir} empty means the default search path
 * (/lib/modules/$(uname -r)/updates/dkms, then .../extra). {@code sched} is
 * the threads' scheduling policy as sysfs spells it ("other", "fifo:N");
 * {@code spinMaxUs} the adaptive mode's spin limit.
 */
public record KernelConfig(Mode mode, CpuList cpus, List<String> devices, int quota, Optional<Path> moduleDir,
        String sched, int spinMaxUs) {
    public static final int QUOTA_MIN = 1;
    public static final int QUOTA_MAX = 1024;
    public static final int QUOTA_DEFAULT = 64;
    public static final String SCHED_DEFAULT = "other";
    public static final int FIFO_PRIO_MIN = 1;
    public static final int FIFO_PRIO_MAX = 99;
    public static final int SPIN_MAX_US_MAX = 1000;
    public static final int SPIN_MAX_US_DEFAULT = 50;

    public KernelConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cpus, "cpus");
        devices = List.copyOf(devices);
        Objects.requireNonNull(moduleDir, "moduleDir");
        Objects.requireNonNull(sched, "sched");
    }

    /** The same settings in another mode. */
    public KernelConfig withMode(Mode m) {
        return new KernelConfig(m, cpus, devices, quota, moduleDir, sched, spinMaxUs);
    }

    public static KernelConfig defaults() {
        return new KernelConfig(Mode.EEKBP, CpuList.parse("0"), List.of(), QUOTA_DEFAULT, Optional.empty(),
                SCHED_DEFAULT, SPIN_MAX_US_DEFAULT);
    }
}
