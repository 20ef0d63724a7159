package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * RFC 2544 (Sect. 26.1) throughput: the highest offered rate at which no
 * frame is lost, found by binary search between 0 and maxPps. A trial that
 * loses nothing raises the lower bound, any loss lowers the upper bound;
 * the search stops when the bounds are closer than resolutionPps or after
 * maxTrials trials (the quick profile's coarse search).
 */
public final class Rfc2544Search {

    /**
     * One trial: the rate asked for, the rate the generator achieved, and
     * whether it counts as loss-free (the caller decides, e.g. no loss and
     * the rate really offered).
     */
    public record Trial(double pps, double offeredPps, boolean zeroLoss) {
    }

    /** The zero-loss rate found (0 when no trial passed) and the trials run. */
    public record Outcome(double zeroLossPps, List<Trial> trials) {
    }

    private Rfc2544Search() {
    }

    public static Outcome search(double maxPps, double resolutionPps, int maxTrials,
            DoubleFunction<Trial> trialAt) {
        if (maxPps <= 0 || resolutionPps <= 0 || maxTrials < 1) {
            throw new IllegalArgumentException("need maxPps > 0, resolution > 0, trials >= 1");
        }
        List<Trial> trials = new ArrayList<>();
        double low = 0;
        double high = maxPps;
        double rate = maxPps;
        double best = 0;
        while (trials.size() < maxTrials) {
            Trial t = trialAt.apply(rate);
            boolean ok = t.zeroLoss();
            trials.add(t);
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
        return new Outcome(best, List.copyOf(trials));
    }

    /**
     * Upward search (the sweep's calibration): doubles the rate from startPps
     * while trials pass, up to maxPps, then halves the interval between the
     * last pass and the first failure with the trials left. It overloads the
     * guest at most once per halving, where {@link #search} starts at maxPps.
     */
    public static Outcome ascend(double startPps, double maxPps, int maxTrials,
            DoubleFunction<Trial> trialAt) {
        if (startPps <= 0 || maxPps < startPps || maxTrials < 1) {
            throw new IllegalArgumentException("need 0 < startPps <= maxPps, trials >= 1");
        }
        List<Trial> trials = new ArrayList<>();
        double low = 0;
        double high = Double.NaN;
        double rate = startPps;
        while (trials.size() < maxTrials) {
            Trial t = trialAt.apply(rate);
            trials.add(t);
            if (t.zeroLoss()) {
                low = rate;
                if (rate >= maxPps) {
                    break;
                }
            } else {
                high = rate;
            }
            rate = Double.isNaN(high) ? Math.min(maxPps, 2 * rate) : (low + high) / 2;
        }
        return new Outcome(low, List.copyOf(trials));
    }
}
