package dev.eekbp.it.bench;

import java.util.Arrays;
import java.util.Collection;

/** Median and range of repeated measurements, NaNs ignored. */
public record Spread(double median, double min, double max, int n) {

    public static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Spread of(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d))
                .sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        int n = v.length;
        double med = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(med, v[0], v[n - 1], n);
    }

    public static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    public boolean present() {
        return n > 0;
    }

    /**
     * Whether two spreads of at least two repetitions each do not overlap:
     * their difference is larger than the run-to-run spread.
     */
    public boolean apartFrom(Spread o) {
        return n >= 2 && o.n >= 2 && (max < o.min || o.max < min);
    }
}
