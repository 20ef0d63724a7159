package dev.eekbp.agent.cpu;

import java.util.Optional;

/**
 * Whether the agent can drive frequencies of the served CPUs through the
 * userspace governor; if not, {@code problem} says why and how to fix it.
 */
public record FreqSupport(boolean usable, String driver, Optional<String> problem) {
    public static FreqSupport ok(String driver) {
        return new FreqSupport(true, driver, Optional.empty());
    }

    public static FreqSupport unusable(String driver, String problem) {
        return new FreqSupport(false, driver, Optional.of(problem));
    }
}
