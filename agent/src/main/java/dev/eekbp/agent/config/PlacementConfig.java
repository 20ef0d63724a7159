package dev.eekbp.agent.config;

/** [placement] section; {@code resumeLatencyUs} -1 leaves the C-state limit alone. */
public record PlacementConfig(boolean irqAffinity, int resumeLatencyUs) {
    public static final int RESUME_LATENCY_UNCHANGED = -1;

    public static PlacementConfig defaults() {
        return new PlacementConfig(true, RESUME_LATENCY_UNCHANGED);
    }
}
