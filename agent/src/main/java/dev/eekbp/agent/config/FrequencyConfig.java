package dev.eekbp.agent.config;

/** [frequency] section; 0 kHz means the policy's cpuinfo min / max. */
public record FrequencyConfig(boolean control, long minKhz, long maxKhz) {
    public static FrequencyConfig defaults() {
        return new FrequencyConfig(true, 0, 0);
    }
}
