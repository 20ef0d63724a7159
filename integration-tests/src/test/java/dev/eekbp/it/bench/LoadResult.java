package dev.eekbp.it.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outcome of one paced UDP round-trip run: what was sent, what came back,
 * and round-trip percentiles in microseconds (NaN when nothing came back).
 */
public record LoadResult(long sent, long received, double offeredPps, double p50Us,
        double p99Us, double p999Us, double maxUs, double meanUs) {

    public long lost() {
        return Math.max(0, sent - received);
    }

    /** One line of key=value pairs, the daemon's wire format. */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        fields().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=')
                .append(v));
        return sb.toString();
    }

    private Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sent", Long.toString(sent));
        m.put("received", Long.toString(received));
        m.put("offered_pps", Double.toString(offeredPps));
        m.put("p50_us", Double.toString(p50Us));
        m.put("p99_us", Double.toString(p99Us));
        m.put("p999_us", Double.toString(p999Us));
        m.put("max_us", Double.toString(maxUs));
        m.put("mean_us", Double.toString(meanUs));
        return m;
    }

    /** Parses {@link #toLine()}; fails naming the line when a field is missing. */
    public static LoadResult parse(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        try {
            return new LoadResult(Long.parseLong(m.get("sent")), Long.parseLong(m.get("received")),
                    Double.parseDouble(m.get("offered_pps")), Double.parseDouble(m.get("p50_us")),
                    Double.parseDouble(m.get("p99_us")), Double.parseDouble(m.get("p999_us")),
                    Double.parseDouble(m.get("max_us")), Double.parseDouble(m.get("mean_us")));
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("not a load result line: '" + line + "'", e);
        }
    }
}
