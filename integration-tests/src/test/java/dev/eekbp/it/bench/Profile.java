package dev.eekbp.it.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much to measure. quick: one guest boot, three interleaved repetitions
 * of short cells and a coarse RFC 2544 search (64-byte frames only); full:
 * one boot per repetition, long cells, RFC 2544 on three frame sizes in every
 * repetition. Short RFC 2544 trials let queues (tap, virtio ring, socket
 * buffers) hide losses, so quick's throughput is optimistic.
 *
 * @param scale         multiplier of the paper's packet intervals
 * @param rfcFirstRepOnly run the RFC 2544 search in the first repetition only
 * @param compete       also run the softIRQ-competition cell per mode
 * @param competeCondition traffic used under competition
 */
public record Profile(String name, int reps, boolean bootPerRep, Duration cell,
        double scale, List<Integer> rfcFrames, Duration rfcTrial, int rfcMaxTrials,
        double rfcMaxPps, double rfcResolutionPps, boolean rfcFirstRepOnly, boolean compete,
        String competeCondition) {

    public static final Profile QUICK = new Profile("quick", 3, false, Duration.ofSeconds(2),
            1000, List.of(64), Duration.ofSeconds(2), 5, 12800, 400, true, true, "1G-1518");
    public static final Profile FULL = new Profile("full", 3, true, Duration.ofSeconds(6),
            1000, List.of(64, 512, 1518), Duration.ofSeconds(3), 5, 12800, 400, false, true,
            "1G-1518");

    /** Checks the plumbing in about two minutes; its numbers mean nothing. */
    public static final Profile SMOKE = new Profile("smoke", 1, false, Duration.ofSeconds(1),
            1000, List.of(64), Duration.ofSeconds(1), 2, 12800, 400, true, true, "1G-1518");

    /**
     * Investigation only: thirty RFC 2544 searches (overload, then recovery)
     * per mode in one boot, to catch a receive path that stops after overload.
     */
    public static final Profile OVERLOAD = new Profile("overload", 1, false, Duration.ofSeconds(2),
            1000, java.util.Collections.nCopies(10, List.of(1518, 512, 64)).stream()
                    .flatMap(List::stream).toList(),
            Duration.ofSeconds(3), 5, 12800, 400, true, false, "1G-1518");

    public static Profile named(String name) {
        return switch (name) {
            case "overload" -> OVERLOAD;
            case "smoke" -> SMOKE;
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(
                    "profile must be smoke, quick, full or overload, got '" + name + "'");
        };
    }

    /** Idle first, then the paper's six conditions. */
    public List<Condition> conditions() {
        List<Condition> all = new java.util.ArrayList<>();
        all.add(Condition.IDLE);
        all.addAll(Condition.paper(scale));
        return all;
    }

    public Condition condition(String id) {
        return conditions().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no condition " + id));
    }
}
