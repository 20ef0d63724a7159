package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.telemetry.TelemetryPaths;
import dev.eekbp.agent.telemetry.UdpProber;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Runs every mode once per repetition, in an order rotated per repetition so
 * no mode always follows the same one: switch, settle, measure one cell
 * (optionally with UDP round trips to an echo target), print one line.
 * The machine is restored at the end whatever happened.
 */
public final class ModeBench implements AutoCloseable {
    /**
     * What to run. {@code ratesPps}: round trips per second to {@code target},
     * the whole plan once per rate (ignored without a target: idle cells).
     */
    public record Plan(List<BenchMode> modes, int reps, Duration cell, Duration settle,
            Optional<InetSocketAddress> target, List<Integer> ratesPps) {
        public Plan {
            modes = List.copyOf(modes);
            ratesPps = List.copyOf(ratesPps);
            if (modes.isEmpty()) {
                throw new IllegalArgumentException("no mode to run");
            }
            if (reps < 1) {
                throw new IllegalArgumentException("repetitions must be at least 1");
            }
            if (ratesPps.isEmpty() || ratesPps.stream().anyMatch(r -> r < 1)) {
                throw new IllegalArgumentException("rates must be at least 1 per second");
            }
        }

        /** The rates the cells run at: 0 alone (idle) without a target. */
        public List<Integer> cellRates() {
            return target.isPresent() ? ratesPps : List.of(0);
        }

        public int cells() {
            return modes.size() * reps * cellRates().size();
        }
    }

    private final Plan plan;
    private final ModeSwitcher switcher;
    private final CellMeter meter;
    private final PrintWriter progress;

    ModeBench(Plan plan, ModeSwitcher switcher, CellMeter meter, PrintWriter progress) {
        this.plan = plan;
        this.switcher = switcher;
        this.meter = meter;
        this.progress = progress;
    }

    /** Opens the counters this machine has; nothing changes until run(). */
    public static ModeBench open(Plan plan, ModeSwitcher switcher, TelemetryPaths paths, List<PowerSource> power,
            CpuList served, List<String> devices, PrintWriter progress) {
        return new ModeBench(plan, switcher, CellMeter.open(paths, power, served, devices), progress);
    }

    /** Counters this machine cannot give, with the reason. */
    public List<String> unavailable() {
        return meter.unavailable();
    }

    @Override
    public void close() throws IOException {
        meter.close();
    }

    /** Runs the plan; throws after restoring when a cell cannot run. */
    public List<CellResult> run() throws BenchException {
        List<CellResult> out = new ArrayList<>();
        long start = System.nanoTime();
        BenchException failure = null;
        try {
            int n = 0;
            for (int rate : plan.cellRates()) {
                for (int rep = 1; rep <= plan.reps(); rep++) {
                    for (int i = 0; i < plan.modes().size(); i++) {
                        BenchMode m = plan.modes().get((i + rep - 1) % plan.modes().size());
                        CellResult r = cell(m, rep, rate);
                        out.add(r);
                        n++;
                        progress.println(line(n, plan.cells(), System.nanoTime() - start, r));
                        progress.flush();
                    }
                }
            }
        } catch (BenchException e) {
            failure = e;
        } finally {
            List<String> problems = switcher.restore();
            if (!problems.isEmpty()) {
                String msg = "the machine was not fully restored; run 'eekbp unload' and check: "
                        + String.join("; ", problems);
                if (failure == null) {
                    failure = new BenchException(msg);
                } else {
                    failure.addSuppressed(new BenchException(msg));
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private CellResult cell(BenchMode m, int rep, int rate) throws BenchException {
        String note;
        try {
            note = switcher.enter(m);
        } catch (Exception e) {
            throw new BenchException("cannot switch to mode " + m.label() + ": " + e.getMessage(), e);
        }
        CellResult r = measure(m, rep, rate, note);
        List<String> left = switcher.leave();
        if (!left.isEmpty()) {
            throw new BenchException("after mode " + m.label() + " the stock knobs were not restored: "
                    + String.join("; ", left));
        }
        return r;
    }

    private CellResult measure(BenchMode m, int rep, int rate, String note) throws BenchException {
        try {
            Thread.sleep(plan.settle());
            meter.begin(System.nanoTime());
            CellMeter.ProbeFigures probe = CellMeter.ProbeFigures.NONE;
            if (plan.target().isPresent()) {
                try (UdpProber p = new UdpProber(plan.target().get(),
                        Duration.ofNanos(1_000_000_000L / rate))) {
                    p.start();
                    waitCell();
                    Histogram h = new Histogram(1_000, 60_000_000_000L, 3);
                    p.intervalHistogram(h);
                    boolean any = h.getTotalCount() > 0;
                    probe = new CellMeter.ProbeFigures(p.sent(), p.lost(),
                            any ? h.getValueAtPercentile(50) / 1e3 : Double.NaN,
                            any ? h.getValueAtPercentile(99) / 1e3 : Double.NaN,
                            any ? h.getValueAtPercentile(99.9) / 1e3 : Double.NaN,
                            any ? h.getMaxValue() / 1e3 : Double.NaN);
                }
            } else {
                waitCell();
            }
            return meter.end(m, rep, rate, System.nanoTime(), note, probe);
        } catch (IOException e) {
            throw new BenchException("measuring mode " + m.label() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private void waitCell() throws InterruptedException {
        long until = System.nanoTime() + plan.cell().toNanos();
        long step = meter.tickNanos();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            Thread.sleep(Duration.ofNanos(Math.min(step, left)));
            meter.tick(System.nanoTime());
        }
    }

    static String line(int n, int total, long elapsedNanos, CellResult r) {
        long s = elapsedNanos / 1_000_000_000L;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[bench %2d/%d %d:%02d] rep %d %-14s",
                n, total, s / 60, s % 60, r.rep(), r.mode().label()));
        if (r.ratePps() > 0) {
            b.append(String.format(Locale.ROOT, " %d/s", r.ratePps()));
        }
        if (r.sent() > 0) {
            b.append(String.format(Locale.ROOT, " RTT p50 %s p99 %s max %s us, lost %d/%d,", num(r.p50Us()),
                    num(r.p99Us()), num(r.maxUs()), r.lost(), r.sent()));
        }
        b.append(String.format(Locale.ROOT, " rx %d pkts, NET_RX %d, hardIRQs %d, wakes %s, busy %s%%, poll CPU %s s, %s W",
                r.rxPackets(), r.netRx(), r.hardIrqs(), num(r.wakes()), num(r.busyShare() * 100), num(r.pollCpuSeconds()),
                num(r.watts())));
        if (!r.note().isEmpty()) {
            b.append(" (").append(r.note()).append(')');
        }
        return b.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v != 0 && Math.abs(v) < 0.1) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
