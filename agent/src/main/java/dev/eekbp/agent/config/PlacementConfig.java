package dev.eekbp.agent.config;

import java.util.Objects;

/**
 * [placement] section. IRQs are pinned only for devices the operator named
 * ({@link IrqPinning#NAMED}, irq_affinity = true) or, when asked for
 * explicitly, for every NIC (irq_affinity = "all"); {@code resumeLatencyUs}
 * -1 leaves the C-state limit alone.
 */
public record PlacementConfig(IrqPinning irqPinning, int resumeLatencyUs) {
    public static final int RESUME_LATENCY_UNCHANGED = -1;

    /** Which NICs' IRQs are pinned to the served CPUs. */
    public enum IrqPinning {
        /** none (irq_affinity = false) */
        OFF,
        /** the devices listed in [kernel] devices; none when the list is empty (irq_affinity = true) */
        NAMED,
        /** the listed devices, or every NIC when the list is empty (irq_affinity = "all") */
        ALL
    }

    public PlacementConfig {
        Objects.requireNonNull(irqPinning, "irqPinning");
    }

    public PlacementConfig(boolean irqAffinity, int resumeLatencyUs) {
        this(irqAffinity ? IrqPinning.NAMED : IrqPinning.OFF, resumeLatencyUs);
    }

    /** True when some IRQs may be pinned. */
    public boolean irqAffinity() {
        return irqPinning != IrqPinning.OFF;
    }

    public static PlacementConfig defaults() {
        return new PlacementConfig(IrqPinning.NAMED, RESUME_LATENCY_UNCHANGED);
    }
}
