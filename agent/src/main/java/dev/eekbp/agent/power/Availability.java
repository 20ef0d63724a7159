package dev.eekbp.agent.power;

import java.util.Objects;

/** Whether a power source works here, and if not, why (operator-readable). */
public record Availability(boolean available, String reason) {
    public static final Availability AVAILABLE = new Availability(true, "");

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
