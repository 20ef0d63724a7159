package dev.eekbp.agent.config;

import java.util.Objects;

/** The whole agent configuration, validated as one unit. */
public record Config(KernelConfig kernel, FrequencyConfig frequency, PlacementConfig placement,
        TelemetryConfig telemetry) {
    public Config {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(telemetry, "telemetry");
    }

    /** The configuration an empty file gives. */
    public static Config defaults() {
        return new Config(KernelConfig.defaults(), FrequencyConfig.defaults(), PlacementConfig.defaults(),
                TelemetryConfig.defaults());
    }
}
