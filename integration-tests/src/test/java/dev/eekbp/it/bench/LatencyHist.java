package dev.eekbp.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One histogram of the in-guest latency instrument (guest/bench/latency-trace.sh):
 * microseconds to count, as {@code lat_dump} writes it ("&lt;us&gt; &lt;count&gt;"
 * lines). Percentiles are nearest-rank on the exact microsecond values.
 * A value of 2^63 or more is a negative difference wrapped to u64 (an IRQ
 * nested between the end event's timestamp and its read of the start
 * variable): counted in {@code wrapped}, left out of the percentiles.
 */
public record LatencyHist(TreeMap<Long, Long> counts, long total, long wrapped) {

    public static final LatencyHist EMPTY = new LatencyHist(new TreeMap<>(), 0, 0);

    public static LatencyHist parse(String text) {
        TreeMap<Long, Long> m = new TreeMap<>();
        long total = 0;
        long wrapped = 0;
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 2) {
                continue;
            }
            try {
                long n = Long.parseLong(f[1]);
                if (f[0].matches("\\d{19,20}") && new java.math.BigInteger(f[0]).bitLength() == 64 && n > 0) {
                    wrapped += n;
                    continue;
                }
                long us = Long.parseLong(f[0]);
                if (us < 0 || n <= 0) {
                    throw new IllegalArgumentException("bad latency histogram line: " + line);
                }
                m.merge(us, n, Long::sum);
                total += n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad latency histogram line: " + line, e);
            }
        }
        return new LatencyHist(m, total, wrapped);
    }

    /** The histogram file, or {@link #EMPTY} when the instrument wrote none. */
    public static LatencyHist read(Path file) throws IOException {
        return Files.isRegularFile(file) ? parse(Files.readString(file)) : EMPTY;
    }

    /** This histogram and another summed (pooling repetitions). */
    public LatencyHist plus(LatencyHist o) {
        TreeMap<Long, Long> m = new TreeMap<>(counts);
        o.counts.forEach((k, v) -> m.merge(k, v, Long::sum));
        return new LatencyHist(m, total + o.total, wrapped + o.wrapped);
    }

    /** Nearest-rank percentile (0 &lt; p &lt;= 100) in microseconds; NaN when empty. */
    public double percentile(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (Map.Entry<Long, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return counts.lastKey();
    }

    public double max() {
        return total == 0 ? Double.NaN : counts.lastKey();
    }

    /** "n=… p50=… p99=… p99.9=… max=… us", plus the wrapped samples if any. */
    public String summary() {
        return String.format("n=%d p50=%.0f p99=%.0f p99.9=%.0f max=%.0f us%s", total, percentile(50),
                percentile(99), percentile(99.9), max(), wrapped > 0 ? " (" + wrapped + " wrapped, left out)" : "");
    }
}
