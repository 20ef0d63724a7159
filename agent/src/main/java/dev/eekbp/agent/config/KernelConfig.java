package dev.eekbp.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * [kernel] section. {@code moduleDir} empty means the default search path
 * (/lib/modules/$(uname -r)/updates/dkms, then .../extra).
 */
public record KernelConfig(Mode mode, CpuList cpus, List<String> devices, int quota, Optional<Path> moduleDir) {
    public static final int QUOTA_MIN = 1;
    public static final int QUOTA_MAX = 1024;
    public static final int QUOTA_DEFAULT = 64;

    public KernelConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cpus, "cpus");
        devices = List.copyOf(devices);
        Objects.requireNonNull(moduleDir, "moduleDir");
    }

    public static KernelConfig defaults() {
        return new KernelConfig(Mode.EEKBP, CpuList.parse("0"), List.of(), QUOTA_DEFAULT, Optional.empty());
    }
}
