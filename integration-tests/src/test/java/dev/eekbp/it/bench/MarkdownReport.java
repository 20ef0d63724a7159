package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.md: run description, one table per metric, comparisons, charts. */
public final class MarkdownReport {

    private static final List<Metric> TABLES = List.of(Metric.RTT_P50, Metric.RTT_P99,
            Metric.RTT_P999, Metric.RTT_MAX, Metric.LOSS, Metric.CPU_BUSY, Metric.POLL_CPU,
            Metric.KSOFTIRQD, Metric.THREAD_WAKES, Metric.EEKBP_WAKES, Metric.NET_RX,
            Metric.HARD_IRQ, Metric.FREQ_CHANGES, Metric.MIN_FREQ_SHARE);

    private MarkdownReport() {
    }

    public static void write(BenchResults r, Map<String, String> charts, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(r, charts));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static String render(BenchResults r, Map<String, String> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# eekbp benchmark: ").append(r.profile().name()).append(" profile\n\n");
        sb.append("Started ").append(r.started()).append(", wall time ")
                .append(minSec(r.wall().toSeconds())).append(", guest kernel ")
                .append(r.kernel()).append(", ").append(r.profile().reps())
                .append(" interleaved repetitions (")
                .append(r.profile().bootPerRep() ? "one guest boot each" : "all in one guest boot")
                .append("), ").append(r.profile().cell().toMillis() / 1000.0)
                .append(" s per cell. Values are medians over repetitions with the range "
                        + "(min-max) in brackets; `-` = does not apply.\n\n");
        machine(sb, r);
        conditions(sb, r);
        verdict(sb, r);
        perCondition(sb, r);
        latency(sb, r);
        forward(sb, r);
        sb.append("## Round-trip matrix\n\n");
        for (Metric m : TABLES) {
            table(sb, r, "matrix", m, r.conditions());
        }
        comparisons(sb, r);
        throughput(sb, r);
        compete(sb, r);
        if (!charts.isEmpty()) {
            sb.append("## Charts\n\n");
            charts.forEach((f, cap) -> sb.append("![").append(cap).append("](").append(f)
                    .append(")\n\n"));
        }
        if (!r.notes().isEmpty()) {
            sb.append("## Notes and limits\n\n");
            r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void machine(StringBuilder sb, BenchResults r) {
        sb.append("## Machine\n\n| item | value |\n| --- | --- |\n");
        r.machine().forEach((k, v) -> sb.append("| ").append(k).append(" | ")
                .append(v.replace("|", "/")).append(" |\n"));
        sb.append('\n');
    }

    private static void conditions(StringBuilder sb, BenchResults r) {
        sb.append("## Traffic conditions\n\nThe paper's Table 2 packet intervals times ")
                .append(fmt(r.profile().scale()))
                .append(" (ratios kept), sent as paced UDP round trips from the host side of the"
                        + " guest's tap to an echo server on the guest's application CPU.\n\n")
                .append("| condition | paper | frame | paper interval | interval here | rate here |"
                        + " UDP payload |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Condition c : r.conditions()) {
            if (c.idle()) {
                sb.append("| idle | no traffic | - | - | - | 0 | - |\n");
                continue;
            }
            String here = c.bursty() ? "trains of " + c.train() + ", " + fmt(c.spacingUs())
                    + " us apart, one every " + fmt(c.train() * 1e3 / c.pps()) + " ms"
                    : fmt(c.intervalUs() / 1000) + " ms";
            sb.append("| ").append(c.id()).append(" | ")
                    .append(c.paperIntervalUs() > 0 ? c.paperRate() : "- (" + c.paperRate() + ")")
                    .append(" | ").append(c.frameBytes()).append(" B | ")
                    .append(c.paperIntervalUs() > 0 ? fmt(c.paperIntervalUs()) + " us" : "-")
                    .append(" | ").append(here).append(" | ")
                    .append(fmt(c.pps())).append(" pps | ").append(c.payloadBytes())
                    .append(" B |\n");
        }
        sb.append('\n');
        if (r.conditions().stream().anyMatch(Condition::sweep)) {
            sb.append("sweep-N: 64-byte rates doubling up to the sweep top (").append(
                    r.machine().getOrDefault("sweep top", "see machine facts"))
                    .append("). burst-*: trains whose packets are closer than the bench's"
                            + " spin_max_us, separated by long gaps; their hardIRQs per packet"
                            + " under NAPI show whether the stock path really took an interrupt"
                            + " per packet. Every packet is a request the guest echoes.\n\n");
        }
    }

    private static void table(StringBuilder sb, BenchResults r, String scenario, Metric m,
            List<Condition> conds) {
        sb.append("### ").append(m.label()).append(" [").append(m.unit()).append("]\n\n");
        sb.append("| condition |");
        r.modes().forEach(x -> sb.append(' ').append(x.label()).append(" |"));
        sb.append("\n| --- |");
        r.modes().forEach(x -> sb.append(" --- |"));
        sb.append('\n');
        for (Condition c : conds) {
            sb.append("| ").append(c.id()).append(" |");
            for (Mode x : r.modes()) {
                sb.append(' ').append(cell(r.spread(scenario, x, c.id(), m))).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    /** Per-packet costs, loss and latency: one table per condition, one row per mode. */
    static final List<Metric> PER_CONDITION = List.of(Metric.IRQ_PER_PKT,
            Metric.RX_IRQ_PER_PKT, Metric.WAKES_PER_PKT,
            Metric.IRQ_WAKES_PER_PKT, Metric.FREQ_PER_PKT, Metric.POLL_CPU_PER_PKT,
            Metric.POLL_CPU, Metric.SPIN_WINDOWS_PER_PKT, Metric.SPIN_CATCHES_PER_PKT,
            Metric.LOSS, Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999);

    private static void perCondition(StringBuilder sb, BenchResults r) {
        if (r.profile().sweep() == null) {
            return;
        }
        sb.append("## Per condition\n\nPer packet = per request sent (one echo). Medians over"
                + " repetitions [range].\n\n");
        for (Condition c : r.conditions()) {
            sb.append("### ").append(c.id()).append(": ").append(c.label()).append("\n\n")
                    .append("| mode |");
            PER_CONDITION.forEach(m -> sb.append(' ').append(m.label()).append(" [")
                    .append(m.unit()).append("] |"));
            sb.append("\n| --- |");
            PER_CONDITION.forEach(m -> sb.append(" --- |"));
            sb.append('\n');
            for (Mode x : r.modes()) {
                sb.append("| ").append(x.label()).append(" |");
                for (Metric m : PER_CONDITION) {
                    sb.append(' ').append(cell(r.spread("matrix", x, c.id(), m))).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
    }

    static final List<Metric> LATENCY = List.of(Metric.IRQ2RX_P50, Metric.IRQ2RX_P99,
            Metric.IRQ2SOCK_P50, Metric.IRQ2SOCK_P99, Metric.IRQ2SOCK_P999,
            Metric.IRQ2SOCK_MAX, Metric.IRQ2SOCK_SAMPLES);

    private static void latency(StringBuilder sb, BenchResults r) {
        List<Condition> conds = r.conditionsOf("latency");
        if (conds.isEmpty()) {
            return;
        }
        Duration len = r.profile().passes().latencyCell();
        sb.append("## In-guest latency\n\nOn the guest's clock, with ftrace histogram"
                + " triggers on the kernel's own events (guest/bench/latency-trace.sh), the same"
                + " for every mode: NIC hardIRQ to the first packet a poll hands to the stack"
                + " (`hardIRQ to poll`: softirq, threaded NAPI's thread or the eekbp thread),"
                + " and to the first UDP datagram queued to a socket (`hardIRQ to socket`)."
                + " Only the first event after each hardIRQ counts. Measured in a separate pass"
                + " per mode and repetition, cells of ").append(len == null ? "?"
                        : MarkdownReport.fmt(len.toMillis() / 1000.0))
                .append(" s with the instrument on, after the mode's plain cells: the"
                        + " instrument costs guest CPU (docs/bench/latency.md), so the other"
                        + " tables come from cells without it. NAPI + busy_read takes most"
                        + " packets in the reader's busy poll, without a hardIRQ: they are not"
                        + " measured, its few samples are the rest. Medians over repetitions"
                        + " [range].\n\n");
        for (Metric m : LATENCY) {
            table(sb, r, "latency", m, conds);
        }
        apart(sb, r, "latency", conds);
    }

    /**
     * hardIRQ-to-socket p50 and p99 of every mode against NAPI and EE-KBP:
     * ratios of medians, marked when the repetitions' ranges do not overlap.
     */
    private static void apart(StringBuilder sb, BenchResults r, String scenario,
            List<Condition> conds) {
        List<Mode> refs = List.of(Mode.NAPI, Mode.EEKBP).stream()
                .filter(r.modes()::contains).toList();
        if (refs.isEmpty() || r.profile().reps() < 2) {
            return;
        }
        sb.append("### Which differences are larger than the run-to-run spread\n\n")
                .append("hardIRQ to socket, ratio of medians (mode / reference); **bold**: the"
                        + " two modes' ranges over the repetitions do not overlap, so the"
                        + " difference is larger than the run-to-run spread.\n\n| condition |"
                        + " mode |");
        for (Mode ref : refs) {
            sb.append(" p50 vs ").append(ref.label()).append(" | p99 vs ").append(ref.label())
                    .append(" |");
        }
        sb.append("\n| --- | --- |").append(" --- | --- |".repeat(refs.size())).append('\n');
        for (Condition c : conds) {
            for (Mode m : r.modes()) {
                sb.append("| ").append(c.id()).append(" | ").append(m.label()).append(" |");
                for (Mode ref : refs) {
                    for (Metric k : List.of(Metric.IRQ2SOCK_P50, Metric.IRQ2SOCK_P99)) {
                        sb.append(' ').append(m == ref ? "-" : versus(
                                r.spread(scenario, m, c.id(), k),
                                r.spread(scenario, ref, c.id(), k))).append(" |");
                    }
                }
                sb.append('\n');
            }
        }
        sb.append('\n');
    }

    private static String versus(Spread a, Spread b) {
        if (!a.present() || !b.present() || b.median() == 0) {
            return "-";
        }
        String x = String.format(Locale.ROOT, "%.2fx", a.median() / b.median());
        return a.apartFrom(b) ? "**" + x + "**" : x;
    }

    static final List<Metric> FORWARD = List.of(Metric.RTT_P50, Metric.RTT_P99, Metric.LOSS,
            Metric.IRQ_WAKES_PER_PKT, Metric.POLL_CPU, Metric.CPU_BUSY);

    private static void forward(StringBuilder sb, BenchResults r) {
        List<Condition> conds = r.conditionsOf("forward");
        if (conds.isEmpty()) {
            return;
        }
        sb.append("## Forwarding topology (host and VM, one level down)\n\nThe guest plays"
                + " the KVM host: its virtio NIC (served by each mode) joins a bridge, a veth"
                + " pair links the bridge to network namespace `vm` (")
                .append(BenchRunner.FWD_ADDRESS).append(") standing for the VM, where a second"
                        + " echo server runs on the application CPU: Docker's default network"
                        + " (bridge + veth) without its NAT. The host's round trips go to the"
                        + " VM's address, so every packet is received on the served NIC and"
                        + " forwarded twice (in and out). Per packet = per round trip.\n\n");
        for (Metric m : FORWARD) {
            table(sb, r, "forward", m, conds);
        }
        List<Condition> lat = r.conditionsOf("forward-latency");
        if (!lat.isEmpty()) {
            sb.append("In-guest, instrumented pass: NIC hardIRQ to the datagram queued to the"
                    + " VM's socket, across the bridge and the veth.\n\n");
            for (Metric m : List.of(Metric.IRQ2SOCK_P50, Metric.IRQ2SOCK_P99,
                    Metric.IRQ2SOCK_P999, Metric.IRQ2SOCK_MAX, Metric.LOSS)) {
                table(sb, r, "forward-latency", m, lat);
            }
            apart(sb, r, "forward-latency", lat);
        }
    }

    private static void verdict(StringBuilder sb, BenchResults r) {
        if (r.profile().sweep() == null) {
            return;
        }
        List<Verdict.Check> checks = Verdict.checks(r);
        long pass = checks.stream().filter(c -> c.outcome() == Verdict.Outcome.PASS).count();
        long fail = checks.stream().filter(c -> c.outcome() == Verdict.Outcome.FAIL).count();
        sb.append("## Verdict: issue 11's \"Done when\" on this run\n\n")
                .append("Medians over repetitions; dense = the sweep points at or above half"
                        + " its top, and every train condition. n/a: a mode or number is"
                        + " missing. ").append(pass).append(" PASS, ").append(fail)
                .append(" FAIL, ").append(checks.size() - pass - fail).append(" n/a.\n\n")
                .append("| check | condition | numbers | result |\n| --- | --- | --- | --- |\n");
        for (Verdict.Check c : checks) {
            sb.append("| ").append(c.claim()).append(" | ").append(c.condition()).append(" | ")
                    .append(c.numbers()).append(" | ")
                    .append(c.outcome() == Verdict.Outcome.NA ? "n/a" : c.outcome().name())
                    .append(" |\n");
        }
        sb.append('\n');
    }

    private static String cell(Spread s) {
        if (!s.present()) {
            return "-";
        }
        if (s.n() == 1 || s.min() == s.max()) {
            return fmt(s.median());
        }
        return fmt(s.median()) + " [" + fmt(s.min()) + "-" + fmt(s.max()) + "]";
    }

    /** Per condition: EE-KBP against each other mode, as ratios of medians. */
    private static void comparisons(StringBuilder sb, BenchResults r) {
        if (!r.modes().contains(Mode.EEKBP)) {
            return;
        }
        sb.append("## EE-KBP compared per condition\n\nRatios of medians, EE-KBP / other "
                + "(below 1 = EE-KBP lower). CPU = served-CPU busy share.\n\n")
                .append("| condition | vs | CPU | poll-thread wakes | RTT p99 | RTT max |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (Condition c : r.conditions()) {
            for (Mode o : r.modes()) {
                if (o == Mode.EEKBP) {
                    continue;
                }
                sb.append("| ").append(c.id()).append(" | ").append(o.label()).append(" | ")
                        .append(ratio(r, c, o, Metric.CPU_BUSY)).append(" | ")
                        .append(ratio(r, c, o, Metric.THREAD_WAKES)).append(" | ")
                        .append(ratio(r, c, o, Metric.RTT_P99)).append(" | ")
                        .append(ratio(r, c, o, Metric.RTT_MAX)).append(" |\n");
            }
        }
        sb.append('\n');
    }

    private static String ratio(BenchResults r, Condition c, Mode other, Metric m) {
        double a = r.spread("matrix", Mode.EEKBP, c.id(), m).median();
        double b = r.spread("matrix", other, c.id(), m).median();
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static void throughput(StringBuilder sb, BenchResults r) {
        List<Integer> frames = r.throughputFrames();
        if (frames.isEmpty()) {
            return;
        }
        double ceiling = r.throughput().stream().flatMap(t -> t.trials().stream())
                .mapToDouble(Rfc2544Search.Trial::pps).max().orElse(r.profile().rfcMaxPps());
        sb.append("## RFC 2544 zero-loss round-trip rate [pps]\n\nBinary search up to ")
                .append(fmt(ceiling)).append(" pps, ")
                .append(r.profile().rfcMaxRates()).append(" rates at most, resolution ")
                .append(fmt(r.profile().rfcResolutionPps())).append(" pps; a rate passes when ")
                .append(BenchRunner.RFC_VOTES / 2 + 1).append(" of up to ")
                .append(BenchRunner.RFC_VOTES).append(" trials of ")
                .append(r.profile().rfcTrial().toMillis() / 1000.0)
                .append(" s pass (MLRsearch's exceed ratio 0.5), and fails at once when one trial"
                        + " loses more than ")
                .append(Math.round(BenchRunner.RFC_GROSS_LOSS * 100))
                .append(" % of its packets; a trial passes when every echo comes back and the"
                        + " host offered at least ")
                .append(Math.round(BenchRunner.OFFERED_SHARE * 100))
                .append(" % of the asked rate. `(cap)`: the search's ceiling passed, the real"
                        + " rate may be higher.\n\n| frame |");
        r.modes().forEach(x -> sb.append(' ').append(x.label()).append(" |"));
        sb.append("\n| --- |");
        r.modes().forEach(x -> sb.append(" --- |"));
        sb.append('\n');
        for (int f : frames) {
            sb.append("| ").append(f).append(" B |");
            for (Mode x : r.modes()) {
                Spread t = r.throughput(x, f);
                // A search that passed at its ceiling only proves a lower bound.
                String capped = t.present() && t.median() >= ceiling
                        ? " (cap)" : "";
                sb.append(' ').append(cell(t)).append(capped).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static void compete(StringBuilder sb, BenchResults r) {
        List<String> conds = r.cells().stream().filter(c -> c.scenario().equals("compete"))
                .map(Cell::condition).distinct().toList();
        if (conds.isEmpty()) {
            return;
        }
        sb.append("## softIRQ competition\n\niperf3 over loopback pinned to the served CPU "
                + "(raises NET_RX and NET_TX there) while the round trips run.\n\n");
        List<Condition> cs = r.conditions().stream().filter(c -> conds.contains(c.id()))
                .toList();
        for (Metric m : List.of(Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999, Metric.RTT_MAX,
                Metric.LOSS, Metric.CPU_BUSY, Metric.NET_RX)) {
            table(sb, r, "compete", m, cs);
        }
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "-";
        }
        double a = Math.abs(d);
        if (a >= 100 || d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        if (a < 0.1) {
            return String.format(Locale.ROOT, "%.2g", d); // per-packet counts stay readable
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String minSec(long s) {
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
