package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 11's "Done when" ratios, checked on the medians of one run:
 * adaptive against EE-KBP, threaded NAPI+defer and KBP. A check whose
 * modes or numbers are missing is n/a, never a pass.
 */
public final class Verdict {

    /** Poll-thread CPU allowed idle: 0.5 % of a core. */
    static final double IDLE_CPU_MS_PER_S = 5;
    static final double SPARSE_CPU_RATIO = 1.25;
    static final double DENSE_IRQ_WAKES_RATIO = 0.5;
    static final double DENSE_KBP_CPU_RATIO = 0.5;
    static final double DENSE_FREQ_RATIO = 0.25;
    static final double KBP_THROUGHPUT_RATIO = 0.95;
    /** RFC 2544 frame size of the throughput checks. */
    static final int FRAME = 64;

    public enum Outcome { PASS, FAIL, NA }

    /** One check: what, where, the numbers compared, and the outcome. */
    public record Check(String claim, String condition, String numbers, Outcome outcome) {
    }

    private Verdict() {
    }

    /** Sweep points at or above half the sweep's top rate, and every train condition. */
    static List<Condition> dense(List<Condition> conds) {
        double top = conds.stream().filter(Condition::sweep).mapToDouble(Condition::pps).max()
                .orElse(Double.NaN);
        return conds.stream().filter(c -> c.bursty() || c.sweep() && c.pps() >= top / 2 - 1e-9)
                .toList();
    }

    public static List<Check> checks(BenchResults r) {
        List<Check> out = new ArrayList<>();
        for (Condition c : r.conditions()) {
            if (c.idle()) {
                double a = med(r, Mode.ADAPTIVE, c, Metric.POLL_CPU);
                out.add(check("idle: adaptive poll-thread CPU <= 0.5 % of a core", c,
                        a, Double.NaN, IDLE_CPU_MS_PER_S, "ms/s", "limit", Mode.EEKBP,
                        med(r, Mode.EEKBP, c, Metric.POLL_CPU)));
            }
        }
        for (Condition c : r.conditions()) {
            if (c.sparse()) {
                out.add(ratio(r, "sparse: adaptive poll-thread CPU <= 1.25x EE-KBP's", c,
                        Metric.POLL_CPU, Mode.EEKBP, SPARSE_CPU_RATIO));
            }
        }
        for (Condition c : dense(r.conditions())) {
            out.add(ratio(r, "dense: hardIRQs + wakes per packet <= 0.5x EE-KBP's", c,
                    Metric.IRQ_WAKES_PER_PKT, Mode.EEKBP, DENSE_IRQ_WAKES_RATIO));
            out.add(ratio(r, "dense: hardIRQs + wakes per packet <= threaded NAPI+defer's", c,
                    Metric.IRQ_WAKES_PER_PKT, Mode.THREADED_DEFER, 1));
            out.add(ratio(r, "dense: poll-thread CPU <= 0.5x KBP's", c, Metric.POLL_CPU,
                    Mode.KBP, DENSE_KBP_CPU_RATIO));
            double a = med(r, Mode.ADAPTIVE_FREQ, c, Metric.FREQ_PER_PKT);
            double b = med(r, Mode.EEKBP_FREQ, c, Metric.FREQ_PER_PKT);
            out.add(check("dense: adaptive+freq frequency changes per packet <= 0.25x"
                    + " EE-KBP+freq's", c, a, b, DENSE_FREQ_RATIO, "1/pkt", "EE-KBP+freq",
                    null, Double.NaN));
        }
        double ta = r.throughput(Mode.ADAPTIVE, FRAME).median();
        double te = r.throughput(Mode.EEKBP, FRAME).median();
        double tk = r.throughput(Mode.KBP, FRAME).median();
        out.add(outcome("zero-loss rate (RFC 2544, 64 B) >= EE-KBP's", "-",
                String.format(Locale.ROOT, "adaptive %s pps, EE-KBP %s pps", f(ta), f(te)),
                ta, te, 1));
        out.add(outcome("zero-loss rate (RFC 2544, 64 B) >= 0.95x KBP's", "-",
                String.format(Locale.ROOT, "adaptive %s pps, KBP %s pps (x0.95 = %s)", f(ta),
                        f(tk), f(KBP_THROUGHPUT_RATIO * tk)), ta, tk, KBP_THROUGHPUT_RATIO));
        for (Condition c : r.conditions()) {
            if (c.idle()) {
                continue;
            }
            double le = med(r, Mode.EEKBP, c, Metric.LOSS);
            if (le != 0) {
                continue; // lossy or missing for EE-KBP: the claim says nothing here
            }
            double la = med(r, Mode.ADAPTIVE, c, Metric.LOSS);
            out.add(new Check("no loss where EE-KBP has none", c.id(),
                    String.format(Locale.ROOT, "adaptive %s %%, EE-KBP 0 %%", f(la)),
                    Double.isNaN(la) ? Outcome.NA : la == 0 ? Outcome.PASS : Outcome.FAIL));
        }
        return out;
    }

    /** adaptive's median of m <= factor x other's. */
    private static Check ratio(BenchResults r, String claim, Condition c, Metric m, Mode other,
            double factor) {
        return check(claim, c, med(r, Mode.ADAPTIVE, c, m), med(r, other, c, m), factor,
                m.unit(), other.label(), null, Double.NaN);
    }

    /**
     * value <= factor x reference (reference NaN: value <= factor, an absolute
     * limit); extra is shown for context only.
     */
    private static Check check(String claim, Condition c, double value, double reference,
            double factor, String unit, String refName, Mode extraMode, double extra) {
        String numbers;
        double limit;
        if (refName.equals("limit")) {
            limit = factor;
            numbers = String.format(Locale.ROOT, "adaptive %s %s, limit %s%s", f(value), unit,
                    f(limit), extraMode == null ? ""
                            : " (" + extraMode.label() + " " + f(extra) + ")");
        } else {
            limit = factor * reference;
            numbers = String.format(Locale.ROOT, "adaptive %s, %s %s %s%s", f(value), refName,
                    f(reference), unit, factor == 1 ? ""
                            : String.format(Locale.ROOT, " (x%s = %s)", f(factor), f(limit)));
        }
        Outcome o = Double.isNaN(value) || Double.isNaN(limit) ? Outcome.NA
                : value <= limit + 1e-12 ? Outcome.PASS : Outcome.FAIL;
        return new Check(claim, c.id(), numbers, o);
    }

    private static Check outcome(String claim, String cond, String numbers, double value,
            double reference, double factor) {
        Outcome o = Double.isNaN(value) || Double.isNaN(reference) ? Outcome.NA
                : value >= factor * reference - 1e-12 ? Outcome.PASS : Outcome.FAIL;
        return new Check(claim, cond, numbers, o);
    }

    private static double med(BenchResults r, Mode m, Condition c, Metric metric) {
        return r.spread("matrix", m, c.id(), metric).median();
    }

    private static String f(double v) {
        return MarkdownReport.fmt(v);
    }
}
