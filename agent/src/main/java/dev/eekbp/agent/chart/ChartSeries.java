package dev.eekbp.agent.chart;

import java.util.Arrays;

/**
 * One mode's values of one metric: per offered rate (ascending), the median
 * over the repetitions and its range; NaN where nothing was measured.
 */
public record ChartSeries(String mode, int[] rates, double[] median, double[] lo, double[] hi) {
    public boolean hasData() {
        return Arrays.stream(median).anyMatch(Double::isFinite);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChartSeries c && mode.equals(c.mode) && Arrays.equals(rates, c.rates)
                && Arrays.equals(median, c.median) && Arrays.equals(lo, c.lo) && Arrays.equals(hi, c.hi);
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + Arrays.hashCode(median);
    }

    @Override
    public String toString() {
        return mode + " rates=" + Arrays.toString(rates) + " median=" + Arrays.toString(median) + " lo="
                + Arrays.toString(lo) + " hi=" + Arrays.toString(hi);
    }
}
