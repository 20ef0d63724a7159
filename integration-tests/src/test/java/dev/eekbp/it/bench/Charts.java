package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts in the manner of the paper's Figs. 8-14: grouped bars per
 * frame size with one bar per mode (medians over repetitions), and a time
 * series of the served CPU. Headless.
 */
public final class Charts {

    private static final int W = 900;
    private static final int H = 520;

    private Charts() {
    }

    /** Writes every chart; returns file name -> caption. */
    public static Map<String, String> writeAll(BenchResults r, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            bars(r, dir, out, "fig09-cpu-80m.png", "80M", Metric.CPU_BUSY,
                    "Fig. 9 analogue: served-CPU busy share, 80 Mbps conditions (scaled)");
            bars(r, dir, out, "fig10-cpu-1g.png", "1G", Metric.CPU_BUSY,
                    "Fig. 10 analogue: served-CPU busy share, 1 Gbps conditions (scaled)");
            bars(r, dir, out, "fig11-latency-80m.png", "80M", Metric.RTT_MAX,
                    "Fig. 11 analogue: max round-trip latency, 80 Mbps conditions (scaled)");
            bars(r, dir, out, "fig12-latency-1g.png", "1G", Metric.RTT_MAX,
                    "Fig. 12 analogue: max round-trip latency, 1 Gbps conditions (scaled)");
            bars(r, dir, out, "fig11b-p99-80m.png", "80M", Metric.RTT_P99,
                    "p99 round-trip latency, 80 Mbps conditions (scaled)");
            bars(r, dir, out, "fig12b-p99-1g.png", "1G", Metric.RTT_P99,
                    "p99 round-trip latency, 1 Gbps conditions (scaled)");
            hardIrqs(r, dir, out);
            for (Metric m : SWEPT) {
                sweep(r, dir, out, m);
            }
            bursts(r, dir, out);
            throughput(r, dir, out);
            compete(r, dir, out);
            latencyCdfs(r, dir, out, "latency", "fig-latency-");
            latencyCdfs(r, dir, out, "forward-latency", "fig-forward-latency-");
            forward(r, dir, out);
            timeline(r, dir, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write charts to " + dir, e);
        }
        return out;
    }

    /** Each drawn against the offered rate of the sweep, one line per mode. */
    static final List<Metric> SWEPT = List.of(Metric.IRQ_PER_PKT, Metric.RX_IRQ_PER_PKT,
            Metric.WAKES_PER_PKT,
            Metric.IRQ_WAKES_PER_PKT, Metric.FREQ_PER_PKT, Metric.POLL_CPU_PER_PKT,
            Metric.POLL_CPU, Metric.LOSS, Metric.RTT_P50, Metric.RTT_P99);

    /** One point of a sweep line: offered rate and the median over repetitions. */
    record Point(double pps, double value) {
    }

    /**
     * Per mode, the sweep's medians of a metric by rising rate; points
     * without a value (NaN) are left out, modes without any point too.
     */
    static Map<Mode, List<Point>> sweepSeries(BenchResults r, Metric metric) {
        List<Condition> sweep = r.conditions().stream().filter(Condition::sweep)
                .sorted(java.util.Comparator.comparingDouble(Condition::pps)).toList();
        Map<Mode, List<Point>> out = new java.util.LinkedHashMap<>();
        for (Mode m : r.modes()) {
            List<Point> pts = new ArrayList<>();
            for (Condition c : sweep) {
                double v = r.spread("matrix", m, c.id(), metric).median();
                if (!Double.isNaN(v)) {
                    pts.add(new Point(c.pps(), v));
                }
            }
            if (!pts.isEmpty()) {
                out.put(m, pts);
            }
        }
        return out;
    }

    static String sweepFile(Metric m) {
        return "fig-sweep-" + m.id().replace('_', '-') + ".png";
    }

    private static void sweep(BenchResults r, Path dir, Map<String, String> out, Metric metric)
            throws IOException {
        Map<Mode, List<Point>> series = sweepSeries(r, metric);
        if (series.isEmpty()) {
            return;
        }
        String caption = metric.label() + " against the offered rate (rate sweep, 64 B)";
        XYChart c = new XYChartBuilder().width(W + 200).height(H).title(caption)
                .xAxisTitle("offered rate [pps], log scale")
                .yAxisTitle(metric.label() + " [" + metric.unit() + "]").build();
        c.getStyler().setXAxisLogarithmic(true);
        // a vertical legend on the right holds all nine modes (a bottom row cut them off)
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        c.getStyler().setMarkerSize(6);
        series.forEach((m, pts) -> c.addSeries(m.label(),
                pts.stream().mapToDouble(Point::pps).toArray(),
                pts.stream().mapToDouble(Point::value).toArray()));
        save(c, dir, sweepFile(metric), out, caption);
    }

    /** Per-packet costs in the train conditions, one bar per mode. */
    private static void bursts(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        List<Condition> bursts = r.conditions().stream().filter(Condition::bursty).toList();
        for (Condition b : bursts) {
            String caption = "Per-packet costs, " + b.label();
            CategoryChart c = barChart(caption, "", "per packet");
            List<Metric> ms = List.of(Metric.IRQ_PER_PKT, Metric.RX_IRQ_PER_PKT,
                    Metric.WAKES_PER_PKT, Metric.FREQ_PER_PKT);
            List<String> x = List.of("hardIRQs", "RX hardIRQs", "poll-thread wakes",
                    "frequency changes");
            for (Mode m : r.modes()) {
                List<Double> y = new ArrayList<>();
                for (Metric k : ms) {
                    y.add(zero(r.spread("matrix", m, b.id(), k).median()));
                }
                c.addSeries(m.label(), x, y);
            }
            save(c, dir, "fig-" + b.id() + ".png", out, caption);
        }
    }

    private static CategoryChart barChart(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder().width(W + 200).height(H).title(title)
                .xAxisTitle(x).yAxisTitle(y).build();
        // a vertical legend on the right holds all nine modes (a bottom row cut them off)
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        c.getStyler().setAvailableSpaceFill(0.8);
        c.getStyler().setOverlapped(false);
        return c;
    }

    private static void bars(BenchResults r, Path dir, Map<String, String> out, String file,
            String ratePrefix, Metric metric, String caption) throws IOException {
        List<Condition> conds = r.conditions().stream()
                .filter(c -> c.id().startsWith(ratePrefix + "-")).toList();
        if (conds.isEmpty()) {
            return;
        }
        CategoryChart c = barChart(caption, "frame size (" + conds.get(0).paperRate()
                + " in the paper)", metric.label() + " [" + metric.unit() + "]");
        List<String> x = conds.stream().map(k -> k.frameBytes() + " B").toList();
        for (Mode m : r.modes()) {
            List<Double> y = new ArrayList<>();
            for (Condition k : conds) {
                y.add(zero(r.spread("matrix", m, k.id(), metric).median()));
            }
            c.addSeries(m.label(), x, y);
        }
        save(c, dir, file, out, caption);
    }

    private static void hardIrqs(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        List<Condition> conds = r.conditions().stream().filter(k -> !k.idle()).toList();
        String caption = "Fig. 13 analogue: NIC hardIRQs per second by condition";
        CategoryChart c = barChart(caption, "condition", "hardIRQs [1/s]");
        List<String> x = conds.stream().map(Condition::id).toList();
        for (Mode m : r.modes()) {
            List<Double> y = new ArrayList<>();
            for (Condition k : conds) {
                y.add(zero(r.spread("matrix", m, k.id(), Metric.HARD_IRQ).median()));
            }
            c.addSeries(m.label(), x, y);
        }
        save(c, dir, "fig13-hardirqs.png", out, caption);
    }

    private static void throughput(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        List<Integer> frames = r.throughputFrames();
        if (frames.isEmpty()) {
            return;
        }
        String caption = "Fig. 14 analogue: RFC 2544 zero-loss round-trip rate";
        CategoryChart c = barChart(caption, "frame size", "zero-loss rate [pps]");
        List<String> x = frames.stream().map(f -> f + " B").toList();
        for (Mode m : r.modes()) {
            List<Double> y = new ArrayList<>();
            for (int f : frames) {
                y.add(zero(r.throughput(m, f).median()));
            }
            c.addSeries(m.label(), x, y);
        }
        save(c, dir, "fig14-throughput.png", out, caption);
    }

    private static void compete(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        List<Cell> cells = r.cells().stream().filter(k -> k.scenario().equals("compete")).toList();
        if (cells.isEmpty()) {
            return;
        }
        String cond = cells.get(0).condition();
        String caption = "softIRQ competition (iperf3 on loopback pinned to the served CPU), "
                + cond;
        CategoryChart c = barChart(caption, "round-trip latency", "[us]");
        List<String> x = List.of("p50", "p99", "p99.9", "max");
        for (Mode m : r.modes()) {
            List<Double> y = new ArrayList<>();
            for (Metric k : List.of(Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999,
                    Metric.RTT_MAX)) {
                y.add(zero(r.spread("compete", m, cond, k).median()));
            }
            c.addSeries(m.label(), x, y);
        }
        save(c, dir, "fig-compete-latency.png", out, caption);
    }

    /**
     * Per condition of an instrumented scenario: the distribution of hardIRQ
     * to socket, repetitions pooled, one line per mode (share of samples at
     * or below x, against x on a log scale).
     */
    private static void latencyCdfs(BenchResults r, Path dir, Map<String, String> out,
            String scenario, String prefix) throws IOException {
        for (Condition k : r.conditionsOf(scenario)) {
            String caption = "In-guest hardIRQ to socket, " + k.label()
                    + (scenario.startsWith("forward") ? ", forwarded to the VM" : "")
                    + " (repetitions pooled)";
            XYChart c = new XYChartBuilder().width(W + 200).height(H).title(caption)
                    .xAxisTitle("latency [us], log scale").yAxisTitle("share of samples <= x")
                    .build();
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            c.getStyler().setMarkerSize(0);
            int lines = 0;
            for (Mode m : r.modes()) {
                LatencyHist h = r.pooled(scenario, m, k.id(), GuestLatency::irq2sock);
                if (h.total() == 0) {
                    continue;
                }
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                long seen = 0;
                for (Map.Entry<Long, Long> e : h.counts().entrySet()) {
                    seen += e.getValue();
                    xs.add((double) Math.max(1, e.getKey()));
                    ys.add((double) seen / h.total());
                }
                c.addSeries(m.label() + " (n=" + h.total() + ")", xs, ys);
                lines++;
            }
            if (lines > 0) {
                save(c, dir, prefix + k.id() + ".png", out, caption);
            }
        }
    }

    /** The forwarding topology: host round trips and loss per mode. */
    private static void forward(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        for (Condition k : r.conditionsOf("forward")) {
            String caption = "Forwarded to the VM (bridge + veth), " + k.label()
                    + ": host round trips";
            CategoryChart c = barChart(caption, "round-trip latency", "[us]");
            List<String> x = List.of("p50", "p99", "p99.9");
            for (Mode m : r.modes()) {
                List<Double> y = new ArrayList<>();
                for (Metric q : List.of(Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999)) {
                    y.add(zero(r.spread("forward", m, k.id(), q).median()));
                }
                c.addSeries(m.label(), x, y);
            }
            save(c, dir, "fig-forward-rtt-" + k.id() + ".png", out, caption);
        }
    }

    private static void timeline(BenchResults r, Path dir, Map<String, String> out)
            throws IOException {
        if (r.samples().size() < 2) {
            return;
        }
        long t0 = r.samples().get(0).tMs();
        String caption = "Fig. 8 analogue: served-CPU busy share over the first boot, by mode";
        XYChart c = new XYChartBuilder().width(W + 300).height(H).title(caption)
                .xAxisTitle("time [s]").yAxisTitle("served CPU busy [%]").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        // a vertical legend on the right holds all nine modes (a bottom row cut them off)
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        Map<Mode, List<Double>> xs = new EnumMap<>(Mode.class);
        Map<Mode, List<Double>> ys = new EnumMap<>(Mode.class);
        List<Double> ox = new ArrayList<>();
        List<Double> oy = new ArrayList<>();
        for (Sample s : r.samples()) {
            Mode m = r.modeAt(s.tMs());
            double t = (s.tMs() - t0) / 1e3;
            if (m == null) {
                ox.add(t);
                oy.add(s.cpuBusyPct());
            } else {
                xs.computeIfAbsent(m, k -> new ArrayList<>()).add(t);
                ys.computeIfAbsent(m, k -> new ArrayList<>()).add(s.cpuBusyPct());
            }
        }
        for (Mode m : xs.keySet()) {
            c.addSeries(m.label(), xs.get(m), ys.get(m)).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!ox.isEmpty()) {
            c.addSeries("between cells (mode switch, RFC 2544)", ox, oy)
                    .setMarker(SeriesMarkers.CROSS).setMarkerColor(java.awt.Color.GRAY);
        }
        save(c, dir, "fig08-timeline-cpu.png", out, caption);
        if (r.samples().stream().anyMatch(s -> s.freqKhz() > 0)) {
            String fc = "Served-CPU frequency over the first boot (test cpufreq driver)";
            XYChart f = new XYChartBuilder().width(W + 300).height(H).title(fc)
                    .xAxisTitle("time [s]").yAxisTitle("scaling_cur_freq [MHz]").build();
            f.getStyler().setLegendVisible(false);
            f.getStyler().setMarkerSize(3);
            List<Double> fx = new ArrayList<>();
            List<Double> fy = new ArrayList<>();
            for (Sample s : r.samples()) {
                fx.add((s.tMs() - t0) / 1e3);
                fy.add(s.freqKhz() / 1e3);
            }
            f.addSeries("freq", fx, fy);
            save(f, dir, "fig08b-timeline-freq.png", out, fc);
        }
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static void save(org.knowm.xchart.internal.chartpart.IChart c, Path dir,
            String file, Map<String, String> out, String caption) throws IOException {
        javax.imageio.ImageIO.write(BitmapEncoder.getBufferedImage(c), "png",
                dir.resolve(file).toFile());
        out.put(file, caption);
    }
}
