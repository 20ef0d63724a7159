package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results.json and the CSV files of a run. */
public final class ResultWriters {

    private ResultWriters() {
    }

    public static void writeAll(BenchResults r, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), Json.encode(toMap(r)));
            Files.writeString(dir.resolve("cells.csv"), cellsCsv(r));
            Files.writeString(dir.resolve("throughput.csv"), throughputCsv(r));
            Files.writeString(dir.resolve("timeline.csv"), timelineCsv(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }

    static Map<String, Object> toMap(BenchResults r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", r.profile().name());
        m.put("kernel", r.kernel());
        m.put("started", r.started().toString());
        m.put("wall_seconds", r.wall().toSeconds());
        m.put("machine", r.machine());
        m.put("notes", r.notes());
        List<Object> conds = new ArrayList<>();
        for (Condition c : r.conditions()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("paper_rate", c.paperRate());
            cm.put("frame_bytes", c.frameBytes());
            cm.put("paper_interval_us", c.paperIntervalUs());
            cm.put("interval_us", c.intervalUs());
            cm.put("pps", c.pps());
            conds.add(cm);
        }
        m.put("conditions", conds);
        List<Object> cells = new ArrayList<>();
        for (Cell c : r.cells()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("scenario", c.scenario());
            cm.put("rep", c.rep());
            cm.put("mode", c.mode().id());
            cm.put("condition", c.condition());
            cm.put("seconds", c.seconds());
            cm.put("sent", c.sent());
            cm.put("received", c.received());
            for (Metric x : Metric.values()) {
                cm.put(x.id(), x.of(c));
            }
            cm.put("poll_cpu_ms", c.pollCpuMs());
            cm.put("thread_wakes", c.threadWakes());
            cm.put("eekbp_irq_wakes", c.eekbpWakes());
            cm.put("eekbp_sleeps", c.eekbpSleeps());
            cm.put("eekbp_packets", c.eekbpPackets());
            cm.put("net_rx", c.netRx());
            cm.put("nic_hardirqs", c.hardIrqs());
            cm.put("nic_rx_hardirqs", c.rxHardIrqs());
            cm.put("freq_changes", c.freqChanges());
            Map<String, Object> res = new LinkedHashMap<>();
            c.residency().forEach((k, v) -> res.put(Long.toString(k), v));
            cm.put("residency_by_khz", res);
            if (c.latency().measured()) {
                cm.put("irq2rx_hist_us", hist(c.latency().irq2rx()));
                cm.put("irq2sock_hist_us", hist(c.latency().irq2sock()));
            }
            cells.add(cm);
        }
        m.put("cells", cells);
        List<Object> tps = new ArrayList<>();
        for (Throughput t : r.throughput()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("rep", t.rep());
            tm.put("mode", t.mode().id());
            tm.put("frame_bytes", t.frameBytes());
            tm.put("zero_loss_pps", t.zeroLossPps());
            tm.put("zero_loss_mbps", t.zeroLossMbps());
            List<Object> trials = new ArrayList<>();
            for (Rfc2544Search.Trial tr : t.trials()) {
                Map<String, Object> trm = new LinkedHashMap<>();
                trm.put("pps", tr.pps());
                trm.put("offered_pps", tr.offeredPps());
                trm.put("zero_loss", tr.zeroLoss());
                trm.put("gross_loss", tr.gross());
                trials.add(trm);
            }
            tm.put("trials", trials);
            tps.add(tm);
        }
        m.put("throughput", tps);
        return m;
    }

    /** A latency histogram as {"us": count, ...}, wrapped samples under "wrapped". */
    private static Map<String, Object> hist(LatencyHist h) {
        Map<String, Object> m = new LinkedHashMap<>();
        h.counts().forEach((us, n) -> m.put(Long.toString(us), n));
        if (h.wrapped() > 0) {
            m.put("wrapped", h.wrapped());
        }
        return m;
    }

    static String cellsCsv(BenchResults r) {
        StringBuilder sb = new StringBuilder("scenario,rep,mode,condition,seconds,sent,received");
        for (Metric x : Metric.values()) {
            sb.append(',').append(x.id());
        }
        sb.append('\n');
        for (Cell c : r.cells()) {
            sb.append(c.scenario()).append(',').append(c.rep()).append(',').append(c.mode().id())
                    .append(',').append(c.condition()).append(',').append(fmt(c.seconds()))
                    .append(',').append(c.sent()).append(',').append(c.received());
            for (Metric x : Metric.values()) {
                sb.append(',').append(fmt(x.of(c)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String throughputCsv(BenchResults r) {
        StringBuilder sb = new StringBuilder("rep,mode,frame_bytes,zero_loss_pps,trials\n");
        for (Throughput t : r.throughput()) {
            sb.append(t.rep()).append(',').append(t.mode().id()).append(',')
                    .append(t.frameBytes()).append(',').append(fmt(t.zeroLossPps())).append(',')
                    .append(t.trials().size()).append('\n');
        }
        return sb.toString();
    }

    static String timelineCsv(BenchResults r) {
        StringBuilder sb = new StringBuilder("t_ms,cpu_busy_pct,freq_khz,mode\n");
        for (Sample s : r.samples()) {
            Mode m = r.modeAt(s.tMs());
            sb.append(s.tMs()).append(',').append(fmt(s.cpuBusyPct())).append(',')
                    .append(s.freqKhz()).append(',').append(m == null ? "" : m.id()).append('\n');
        }
        return sb.toString();
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
