package dev.eekbp.agent.power.ipmi;

/**
 * One DCMI Get Power Reading answer: current, minimum, maximum and average
 * watts over the statistics period, the BMC timestamp, and whether power
 * measurement is active.
 */
public record DcmiReading(int currentWatts, int minWatts, int maxWatts, int averageWatts,
        long timestampSeconds, long periodMillis, boolean active) {
}
