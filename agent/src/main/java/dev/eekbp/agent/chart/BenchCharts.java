package dev.eekbp.agent.chart;

import dev.eekbp.agent.json.JsonReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Charts from `eekbp bench --json` files: one PNG per metric, bars per mode
 * when the cells share one offered rate, lines over the rates when there
 * are several (one run with --rate A,B or several JSON files together).
 */
public final class BenchCharts {
    /** A JSON cell field, the PNG's name and the figure's title. */
    public record Metric(String key, String file, String title) {
    }

    public static final List<Metric> METRICS = List.of(
            new Metric("rtt_p50_us", "rtt-p50.png", "Round trip p50 [us]"),
            new Metric("rtt_p99_us", "rtt-p99.png", "Round trip p99 [us]"),
            new Metric("hardirqs_per_packet", "hardirqs-per-packet.png", "NIC hardIRQs per received packet"),
            new Metric("net_rx_per_packet", "net-rx-per-packet.png", "NET_RX softirqs per packet (served CPUs)"),
            new Metric("wakes_per_packet", "wakes-per-packet.png", "Poll-thread wakes per packet"),
            new Metric("freq_transitions_per_packet", "freq-changes-per-packet.png",
                    "Frequency changes per packet"),
            new Metric("poll_cpu_us_per_packet", "poll-cpu-per-packet.png", "Poll-thread CPU per packet [us]"),
            new Metric("served_cpu_busy_share", "served-cpu-busy.png", "Served-CPU busy share"),
            new Metric("watts", "watts.png", "Machine power [W]"),
            new Metric("microjoules_per_packet", "energy-per-packet.png", "Energy per packet [uJ]"));

    /** The cells of one or more bench JSON documents, and their modes in first-seen order. */
    public record Cells(List<Map<String, Object>> cells, List<String> modes) {
        public List<Integer> rates() {
            Set<Integer> r = new TreeSet<>();
            cells.forEach(c -> r.add(rate(c)));
            return List.copyOf(r);
        }
    }

    private BenchCharts() {
    }

    /** Parses bench JSON documents; IllegalArgumentException names the document that is not one. */
    @SuppressWarnings("unchecked")
    public static Cells parse(List<String> documents) {
        List<Map<String, Object>> cells = new ArrayList<>();
        Set<String> modes = new LinkedHashSet<>();
        for (int d = 0; d < documents.size(); d++) {
            Object root = JsonReader.parse(documents.get(d));
            if (!(root instanceof Map<?, ?> m) || !(m.get("cells") instanceof List<?> list)) {
                throw new IllegalArgumentException("document " + (d + 1) + " has no \"cells\" array");
            }
            if (m.get("modes") instanceof List<?> ms) {
                ms.forEach(x -> modes.add(String.valueOf(x)));
            }
            for (Object c : list) {
                if (!(c instanceof Map<?, ?> cell) || !(cell.get("mode") instanceof String mode)) {
                    throw new IllegalArgumentException("document " + (d + 1) + " has a cell without a mode");
                }
                modes.add(mode);
                cells.add((Map<String, Object>) cell);
            }
        }
        return new Cells(cells, List.copyOf(modes));
    }

    private static int rate(Map<String, Object> cell) {
        return cell.get("rate_pps") instanceof Double d ? d.intValue() : 0;
    }

    /** One series per mode: median and range of {@code key} per rate. */
    public static List<ChartSeries> series(Cells c, String key) {
        List<Integer> rates = c.rates();
        int[] r = rates.stream().mapToInt(Integer::intValue).toArray();
        List<ChartSeries> out = new ArrayList<>();
        for (String mode : c.modes()) {
            double[] med = new double[r.length];
            double[] lo = new double[r.length];
            double[] hi = new double[r.length];
            for (int k = 0; k < r.length; k++) {
                int rate = r[k];
                double[] v = c.cells().stream().filter(x -> mode.equals(x.get("mode")) && rate(x) == rate)
                        .map(x -> x.get(key)).filter(x -> x instanceof Double).mapToDouble(x -> (Double) x)
                        .filter(Double::isFinite).sorted().toArray();
                med[k] = median(v);
                lo[k] = v.length == 0 ? Double.NaN : v[0];
                hi[k] = v.length == 0 ? Double.NaN : v[v.length - 1];
            }
            out.add(new ChartSeries(mode, r, med, lo, hi));
        }
        return out;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Writes one PNG per metric that has data into {@code dir} (created); returns the files written. */
    public static List<Path> write(Cells c, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Metric m : METRICS) {
            List<ChartSeries> s = series(c, m.key());
            if (s.stream().noneMatch(ChartSeries::hasData)) {
                continue;
            }
            Path f = dir.resolve(m.file());
            Files.write(f, Png.encode(Chart.draw(m.title(), s)));
            out.add(f);
        }
        return out;
    }

    /** The metrics with no value in any cell (not charted). */
    public static List<String> empty(Cells c) {
        return METRICS.stream().filter(m -> series(c, m.key()).stream().noneMatch(ChartSeries::hasData))
                .map(Metric::key).toList();
    }

}
