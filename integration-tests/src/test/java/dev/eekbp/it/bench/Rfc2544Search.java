package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * RFC 2544 (Sect. 26.1) throughput: the highest offered rate at which no
 * frame is lost, found by binary search between 0 and maxPps. A rate that
 * loses nothing raises the lower bound, any loss lowers the upper bound;
 * the search stops when the bounds are closer than resolutionPps or after
 * maxRates rates (the quick profile's coarse search).
 * <p>
 * With votes &gt; 1 a rate's verdict is the majority of up to that many
 * trials, as MLRsearch (draft-ietf-bmwg-mlrsearch, goal loss ratio 0, goal
 * exceed ratio 0.5) does for a noisy system under test: one trial's hiccup
 * neither passes nor fails the rate. A trial the caller marks gross (it lost
 * so much that no repeat could pass) settles the rate at once.
 */
public final class Rfc2544Search {

    /**
     * One trial: the rate asked for, the rate the generator achieved,
     * whether it counts as loss-free (the caller decides, e.g. no loss and
     * the rate really offered) and whether its loss was gross (overload,
     * not a hiccup: the rate fails without a repeat).
     */
    public record Trial(double pps, double offeredPps, boolean zeroLoss, boolean gross) {

        public Trial(double pps, double offeredPps, boolean zeroLoss) {
            this(pps, offeredPps, zeroLoss, false);
        }
    }

    /**
     * The zero-loss rate found (0 when no rate passed), every trial run in
     * order, and how many rates were tried.
     */
    public record Outcome(double zeroLossPps, List<Trial> trials, int rates) {
    }

    private Rfc2544Search() {
    }

    public static Outcome search(double maxPps, double resolutionPps, int maxRates,
            DoubleFunction<Trial> trialAt) {
        return search(maxPps, resolutionPps, maxRates, 1, trialAt);
    }

    /** {@link #search} with each rate judged by the majority of up to votes trials. */
    public static Outcome search(double maxPps, double resolutionPps, int maxRates, int votes,
            DoubleFunction<Trial> trialAt) {
        if (maxPps <= 0 || resolutionPps <= 0 || maxRates < 1) {
            throw new IllegalArgumentException("need maxPps > 0, resolution > 0, rates >= 1");
        }
        checkVotes(votes);
        List<Trial> trials = new ArrayList<>();
        double low = 0;
        double high = maxPps;
        double rate = maxPps;
        double best = 0;
        int rates = 0;
        while (rates < maxRates) {
            boolean ok = passes(rate, votes, trialAt, trials);
            rates++;
            if (ok) {
                best = Math.max(best, rate);
                low = rate;
            } else {
                high = rate;
            }
            if (ok && rate >= maxPps || high - low <= resolutionPps) {
                break;
            }
            rate = (low + high) / 2;
        }
        return new Outcome(best, List.copyOf(trials), rates);
    }

    private static void checkVotes(int votes) {
        if (votes < 1 || votes % 2 == 0) {
            throw new IllegalArgumentException("votes must be odd and >= 1, got " + votes);
        }
    }

    /**
     * Runs trials at one rate until a majority of votes agrees or one trial
     * is gross; adds them to trials and returns the verdict.
     */
    private static boolean passes(double rate, int votes, DoubleFunction<Trial> trialAt,
            List<Trial> trials) {
        int need = votes / 2 + 1;
        int pass = 0;
        int fail = 0;
        while (pass < need && fail < need) {
            Trial t = trialAt.apply(rate);
            trials.add(t);
            if (t.zeroLoss()) {
                pass++;
            } else if (t.gross()) {
                return false;
            } else {
                fail++;
            }
        }
        return pass >= need;
    }

    /**
     * Upward search (the sweep's calibration): doubles the rate from startPps
     * while rates pass, up to maxPps, then halves the interval between the
     * last pass and the first failure with the rates left. It overloads the
     * guest at most once per halving, where {@link #search} starts at maxPps.
     */
    public static Outcome ascend(double startPps, double maxPps, int maxRates,
            DoubleFunction<Trial> trialAt) {
        return ascend(startPps, maxPps, maxRates, 1, trialAt);
    }

    /** {@link #ascend} with each rate judged by the majority of up to votes trials. */
    public static Outcome ascend(double startPps, double maxPps, int maxRates, int votes,
            DoubleFunction<Trial> trialAt) {
        if (startPps <= 0 || maxPps < startPps || maxRates < 1) {
            throw new IllegalArgumentException("need 0 < startPps <= maxPps, rates >= 1");
        }
        checkVotes(votes);
        List<Trial> trials = new ArrayList<>();
        double low = 0;
        double high = Double.NaN;
        double rate = startPps;
        int rates = 0;
        while (rates < maxRates) {
            boolean ok = passes(rate, votes, trialAt, trials);
            rates++;
            if (ok) {
                low = rate;
                if (rate >= maxPps) {
                    break;
                }
            } else {
                high = rate;
            }
            rate = Double.isNaN(high) ? Math.min(maxPps, 2 * rate) : (low + high) / 2;
        }
        return new Outcome(low, List.copyOf(trials), rates);
    }
}
