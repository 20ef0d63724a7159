package dev.eekbp.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How much to measure, and what. full (make bench): every mode, the paper's
 * sparse 80 Mbps rows, a rate sweep up to the guest's zero-loss limit and a
 * bursty condition, RFC 2544 at 64 B in every repetition (issue 11's
 * comparison). paper and quick: the paper's modes and Table 2 conditions
 * with the softIRQ-competition cell (the paper alone). Short RFC 2544
 * trials let queues (tap, virtio ring, socket buffers) hide losses, so
 * their throughput is optimistic.
 *
 * @param scale         multiplier of the paper's packet intervals
 * @param rfcFirstRepOnly run the RFC 2544 search in the first repetition only
 * @param compete       also run the softIRQ-competition cell per mode
 * @param competeCondition traffic used under competition
 * @param modes         the modes run unless --modes says otherwise
 * @param sweep         the rate sweep and bursts; null for the paper's matrix
 * @param passes        what runs after each mode's matrix cells
 */
public record Profile(String name, int reps, boolean bootPerRep, Duration cell,
        double scale, List<Integer> rfcFrames, Duration rfcTrial, int rfcMaxRates,
        double rfcMaxPps, double rfcResolutionPps, boolean rfcFirstRepOnly, boolean compete,
        String competeCondition, List<Mode> modes, Sweep sweep, Passes passes) {

    /**
     * Per mode and repetition, after the matrix cells: a pass with the
     * in-guest latency instrument on (guest/bench/latency-trace.sh), kept
     * apart because the instrument costs guest CPU (docs/bench/latency.md);
     * then the forwarding topology (the served NIC bridged to netns "vm"),
     * its cells measured plain and, with latencyCell, instrumented.
     *
     * @param latencyCell length of an instrumented cell; null: no latency pass
     * @param latency     matrix condition ids to instrument, or {@link Profile#ALL}
     *                    (the forwarded ones always are)
     * @param forward     condition ids measured through the forwarding topology
     * @param matrix      matrix condition ids to keep; empty: all
     */
    public record Passes(Duration latencyCell, List<String> latency, List<String> forward,
            List<String> matrix) {

        public static final Passes NONE = new Passes(null, List.of(), List.of(), List.of());
    }

    /** A profile without latency or forwarding passes. */
    public Profile(String name, int reps, boolean bootPerRep, Duration cell, double scale,
            List<Integer> rfcFrames, Duration rfcTrial, int rfcMaxRates, double rfcMaxPps,
            double rfcResolutionPps, boolean rfcFirstRepOnly, boolean compete,
            String competeCondition, List<Mode> modes, Sweep sweep) {
        this(name, reps, bootPerRep, cell, scale, rfcFrames, rfcTrial, rfcMaxRates, rfcMaxPps,
                rfcResolutionPps, rfcFirstRepOnly, compete, competeCondition, modes, sweep,
                Passes.NONE);
    }

    /**
     * The rate sweep: its top is topShare of the zero-loss rate that a
     * calibration search (stock NAPI, 64 B, before the first repetition,
     * doubling from calibrationStartPps, {@link Rfc2544Search#ascend}) finds,
     * or fallbackTopPps when that search passes no rate.
     *
     * @param points  sweep rates, each double the one before, the last at the top
     * @param bursts  train conditions measured after the sweep
     */
    public record Sweep(int points, double topShare, double fallbackTopPps,
            double calibrationStartPps, Duration calibrationTrial, int calibrationRates,
            List<Condition> bursts) {

        /** The sweep's top rate from the calibration's zero-loss rate. */
        public double top(double zeroLossPps) {
            return zeroLossPps > 0 ? topShare * zeroLossPps : fallbackTopPps;
        }
    }

    /** The paper's matrix with the paper's modes. */
    public Profile(String name, int reps, boolean bootPerRep, Duration cell, double scale,
            List<Integer> rfcFrames, Duration rfcTrial, int rfcMaxRates, double rfcMaxPps,
            double rfcResolutionPps, boolean rfcFirstRepOnly, boolean compete,
            String competeCondition) {
        this(name, reps, bootPerRep, cell, scale, rfcFrames, rfcTrial, rfcMaxRates, rfcMaxPps,
                rfcResolutionPps, rfcFirstRepOnly, compete, competeCondition, Mode.PAPER, null);
    }

    /**
     * Trains of 12 packets 600 us apart, 20 a second: under TCG stock NAPI
     * still takes hardIRQs for most packets of a train at this spacing (the
     * report's RX hardIRQs per packet; docs/bench), and the bench's
     * spin_max_us of 1000 covers the gap.
     */
    static final Condition BURST = Condition.burst(12, 600, 20);

    public static final Profile QUICK = new Profile("quick", 3, false, Duration.ofSeconds(2),
            1000, List.of(64), Duration.ofSeconds(2), 5, 12800, 400, true, true, "1G-1518");
    /** The paper's matrix and modes alone (the reference run before issue 11). */
    public static final Profile PAPER = new Profile("paper", 3, true, Duration.ofSeconds(6),
            1000, List.of(64, 512, 1518), Duration.ofSeconds(3), 5, 12800, 400, false, true,
            "1G-1518");
    /** In a {@link Passes} id list: every traffic condition of the matrix. */
    public static final String ALL = "all";

    /**
     * Instrumented, 1.5 s a cell (the full run stays within 60 min): every
     * traffic condition; forwarded: 80M-64.
     */
    static final Passes FULL_PASSES = new Passes(Duration.ofMillis(1500), List.of(ALL),
            List.of("80M-64"), List.of());

    /**
     * About 60-70 min here (NIC-stall reboots add minutes): 9 modes x (11
     * matrix cells, 10 instrumented, 1 forwarded plain and instrumented) x 3
     * repetitions in one boot, and RFC 2544 in every repetition.
     */
    public static final Profile FULL = new Profile("full", 3, false, Duration.ofSeconds(4),
            1000, List.of(64), Duration.ofSeconds(2), 5, 12800, 400, false, false, "1G-1518",
            List.of(Mode.values()), new Sweep(6, 0.9, 2000, 250, Duration.ofSeconds(3), 7,
                    List.of(BURST)), FULL_PASSES);

    /** Trains of the smoke and trains profiles: shorter, the bench's, longer spacing. */
    static final List<Condition> TRAIN_CONDITIONS = List.of(Condition.burst(12, 300, 20), BURST,
            Condition.burst(12, 900, 20));

    /** Checks the plumbing of the full matrix in minutes; its numbers mean nothing. */
    public static final Profile SMOKE = new Profile("smoke", 1, false, Duration.ofSeconds(2),
            1000, List.of(64), Duration.ofSeconds(1), 2, 12800, 400, true, false, "1G-1518",
            List.of(Mode.values()), new Sweep(6, 0.9, 2000, 250, Duration.ofSeconds(1), 5,
                    TRAIN_CONDITIONS),
            FULL_PASSES);

    /**
     * Investigation of the spin on trains, in minutes: the train conditions
     * alone, stock NAPI (is there a hardIRQ per packet?), threaded NAPI+defer,
     * EE-KBP and adaptive, 3 interleaved repetitions, no RFC 2544, no
     * latency pass. The sweep's calibration is one rate (up to 3 short
     * trials): its top is not used.
     */
    public static final Profile TRAINS = new Profile("trains", 3, false, Duration.ofSeconds(4),
            1000, List.of(), Duration.ofSeconds(1), 1, 12800, 400, true, false, "1G-1518",
            List.of(Mode.NAPI, Mode.THREADED_DEFER, Mode.EEKBP, Mode.ADAPTIVE),
            new Sweep(6, 0.9, 2000, 250, Duration.ofSeconds(1), 1, TRAIN_CONDITIONS),
            new Passes(null, List.of(), List.of(),
                    TRAIN_CONDITIONS.stream().map(Condition::id).toList()));

    /**
     * Investigation of the RFC 2544 search, in minutes: the idle cell and one
     * 64-byte search per mode and repetition (NAPI, KBP, EE-KBP, adaptive),
     * 3 interleaved repetitions, up to the profile's 12800 pps.
     */
    public static final Profile RFC = new Profile("rfc", 3, false, Duration.ofSeconds(2), 1000,
            List.of(64), Duration.ofSeconds(2), 5, 12800, 400, false, false, "1G-1518",
            List.of(Mode.NAPI, Mode.KBP, Mode.EEKBP, Mode.ADAPTIVE), null,
            new Passes(null, List.of(), List.of(), List.of(Condition.IDLE.id())));

    /**
     * make test's smoke of the forwarding topology and the latency pass:
     * stock NAPI, threaded NAPI, EE-KBP and adaptive, idle and 80M-64 only,
     * no RFC 2544, one repetition.
     */
    public static final Profile FORWARD_SMOKE = new Profile("forward-smoke", 1, false,
            Duration.ofSeconds(2), 1000, List.of(), Duration.ofSeconds(1), 1, 12800, 400, true,
            false, "1G-1518", List.of(Mode.NAPI, Mode.THREADED, Mode.EEKBP, Mode.ADAPTIVE), null,
            new Passes(Duration.ofSeconds(2), List.of("80M-64"), List.of("80M-64"),
                    List.of("idle", "80M-64")));

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
            case "paper" -> PAPER;
            case "full" -> FULL;
            case "forward-smoke" -> FORWARD_SMOKE;
            case "trains" -> TRAINS;
            case "rfc" -> RFC;
            default -> throw new IllegalArgumentException("profile must be smoke, quick, paper,"
                    + " full, trains, rfc, forward-smoke or overload, got '" + name + "'");
        };
    }

    /** With a sweep (issue 11's profiles): the fewest echoes a matrix cell rests on. */
    static final int MIN_CELL_ECHOES = 60;

    /**
     * How long a matrix cell of c lasts: the profile's cell, and with a sweep
     * long enough for MIN_CELL_ECHOES echoes, so that the sparsest rows'
     * per-packet CPU does not rest on a couple of dozen packets (80M-1518:
     * 9.1 s instead of 26 echoes in 4 s).
     */
    public Duration cellLength(Condition c) {
        if (sweep == null || c.idle() || c.pps() * cell.toNanos() / 1e9 >= MIN_CELL_ECHOES) {
            return cell;
        }
        return Duration.ofMillis((long) Math.ceil(1000.0 * MIN_CELL_ECHOES / c.pps()));
    }

    /**
     * Idle first, then the paper's six conditions; with a sweep: idle, the
     * paper's 80 Mbps rows, the sweep up to sweepTopPps and the bursts.
     */
    public List<Condition> conditions(double sweepTopPps) {
        List<Condition> all = new ArrayList<>();
        all.add(Condition.IDLE);
        if (sweep == null) {
            all.addAll(Condition.paper(scale));
        } else {
            all.addAll(Condition.paper(scale).stream().filter(Condition::sparse).toList());
            all.addAll(Condition.sweep(sweepTopPps, sweep.points()));
            all.addAll(sweep.bursts());
        }
        return passes.matrix().isEmpty() ? all
                : all.stream().filter(c -> passes.matrix().contains(c.id())).toList();
    }

    /** The conditions of ids among the matrix's, in the matrix's order. */
    public static List<Condition> pick(List<Condition> matrix, List<String> ids) {
        return matrix.stream()
                .filter(c -> !c.idle() && (ids.contains(ALL) || ids.contains(c.id()))).toList();
    }

    /** The conditions with the sweep at its fallback top (its shape, for budgets). */
    public List<Condition> conditions() {
        return conditions(sweep == null ? 0 : sweep.fallbackTopPps());
    }

    public Condition condition(String id) {
        return Condition.paper(scale).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no condition " + id));
    }
}
