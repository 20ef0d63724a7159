package dev.eekbp.agent.power.rapl;

/**
 * Turns wrapping energy counters into 64-bit totals, one slot per domain.
 * A reading below the previous one means exactly one wrap: the counter ran
 * from the previous value up to the range, then from 0 to the reading.
 * Primitive arrays only, so updates never allocate.
 */
public final class WrapAccumulator {
    private final long[] range;
    private final long[] last;
    private final long[] total;
    private final long[] lastDelta;
    private final boolean[] primed;
    private final long[] wraps;

    public WrapAccumulator(long[] ranges) {
        int n = ranges.length;
        this.range = ranges.clone();
        this.last = new long[n];
        this.total = new long[n];
        this.lastDelta = new long[n];
        this.primed = new boolean[n];
        this.wraps = new long[n];
    }

    public int size() {
        return range.length;
    }

    /** Feeds one raw reading of domain d; returns the delta it added. */
    public long update(int d, long raw) {
        if (!primed[d]) {
            primed[d] = true;
            last[d] = raw;
            lastDelta[d] = 0;
            return 0;
        }
        long delta;
        if (raw >= last[d]) {
            delta = raw - last[d];
        } else {
            delta = range[d] - last[d] + raw;
            wraps[d]++;
        }
        last[d] = raw;
        total[d] += delta;
        lastDelta[d] = delta;
        return delta;
    }

    public long total(int d) {
        return total[d];
    }

    public long lastDelta(int d) {
        return lastDelta[d];
    }

    public long wraps(int d) {
        return wraps[d];
    }

    public boolean primed(int d) {
        return primed[d];
    }
}
