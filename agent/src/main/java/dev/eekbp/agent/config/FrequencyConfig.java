package dev.eekbp.agent.config;

/**
 * [frequency] section; 0 kHz means the policy's cpuinfo min / max.
 * {@code maxRate}: changes per second per CPU at most in adaptive mode (0 = no cap).
 */
public record FrequencyConfig(boolean control, long minKhz, long maxKhz, int maxRate) {
    public static final int MAX_RATE_MAX = 100_000;
    public static final int MAX_RATE_DEFAULT = 100;

    public static FrequencyConfig defaults() {
        return new FrequencyConfig(true, 0, 0, MAX_RATE_DEFAULT);
    }

    /** The same settings with control on or off. */
    public FrequencyConfig withControl(boolean on) {
        return new FrequencyConfig(on, minKhz, maxKhz, maxRate);
    }
}
