package dev.eekbp.agent.bench;

import dev.eekbp.agent.telemetry.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Medians and ranges per mode over the repetitions, as a table and as JSON. */
public final class BenchSummary {
    private record Column(String title, ToDoubleFunction<CellResult> value, double scale) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("RTT p50 us", CellResult::p50Us, 1),
            new Column("RTT p99 us", CellResult::p99Us, 1),
            new Column("RTT p99.9 us", CellResult::p999Us, 1),
            new Column("rx packets", r -> r.rxPackets(), 1),
            new Column("NET_RX", r -> r.netRx(), 1),
            new Column("hardIRQs", r -> r.hardIrqs(), 1),
            new Column("wakes", CellResult::wakes, 1),
            new Column("hardIRQ/pkt", CellResult::hardIrqsPerPacket, 1),
            new Column("NET_RX/pkt", CellResult::netRxPerPacket, 1),
            new Column("wakes/pkt", CellResult::wakesPerPacket, 1),
            new Column("busy %", CellResult::busyShare, 100),
            new Column("poll CPU s", CellResult::pollCpuSeconds, 1),
            new Column("freq changes", CellResult::freqTransitions, 1),
            new Column("at min freq %", CellResult::minFreqShare, 100),
            new Column("watts", CellResult::watts, 1),
            new Column("uJ/pkt", CellResult::microjoulesPerPacket, 1));

    private BenchSummary() {
    }

    /** Median of the finite values, NaN when there is none. */
    static double median(double[] v) {
        double[] f = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) {
            return Double.NaN;
        }
        return f.length % 2 == 1 ? f[f.length / 2] : (f[f.length / 2 - 1] + f[f.length / 2]) / 2;
    }

    private static double[] values(List<CellResult> cells, BenchMode m, int rate, Column c) {
        return cells.stream().filter(r -> r.mode() == m && r.ratePps() == rate).mapToDouble(c.value())
                .map(x -> x * c.scale()).toArray();
    }

    /** One row per rate and mode: median [min-max] of every column. */
    public static List<String> table(List<BenchMode> modes, List<CellResult> cells) {
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-14s | %-6s", "mode", "rate/s"));
        COLUMNS.forEach(c -> head.append(String.format(Locale.ROOT, " | %-16s", c.title())));
        out.add(head.toString());
        List<Integer> rates = cells.stream().map(CellResult::ratePps).distinct().sorted().toList();
        for (int rate : rates) {
            for (BenchMode m : modes) {
                out.add(row(cells, m, rate));
            }
        }
        return out;
    }

    private static String row(List<CellResult> cells, BenchMode m, int rate) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-14s | %-6d", m.label(), rate));
        for (Column c : COLUMNS) {
            double[] v = values(cells, m, rate, c);
            double med = median(v);
            double lo = Arrays.stream(v).filter(Double::isFinite).min().orElse(Double.NaN);
            double hi = Arrays.stream(v).filter(Double::isFinite).max().orElse(Double.NaN);
            String cell = ModeBench.num(med);
            if (Double.isFinite(lo) && lo != hi) {
                cell += " [" + ModeBench.num(lo) + "-" + ModeBench.num(hi) + "]";
            }
            row.append(String.format(Locale.ROOT, " | %-16s", cell));
        }
        return row.toString();
    }

    /** The whole run: plan, machine facts, what was unavailable, every cell. */
    public static String json(ModeBench.Plan plan, String kernelRelease, List<String> unavailable,
            List<CellResult> cells) {
        StringBuilder b = new StringBuilder("{");
        Json.field(b, "kernel");
        Json.string(b, kernelRelease);
        Json.field(b, "repetitions").append(plan.reps());
        Json.number(Json.field(b, "cell_seconds"), plan.cell().toMillis() / 1e3);
        Json.field(b, "probe_target");
        Json.string(b, plan.target().map(Object::toString).orElse(""));
        Json.field(b, "rates_pps").append('[');
        for (int i = 0; i < plan.cellRates().size(); i++) {
            b.append(i > 0 ? "," : "").append(plan.cellRates().get(i));
        }
        b.append(']');
        Json.field(b, "modes").append('[');
        for (int i = 0; i < plan.modes().size(); i++) {
            b.append(i > 0 ? "," : "");
            Json.string(b, plan.modes().get(i).label());
        }
        b.append(']');
        Json.field(b, "unavailable").append('[');
        for (int i = 0; i < unavailable.size(); i++) {
            b.append(i > 0 ? "," : "");
            Json.string(b, unavailable.get(i));
        }
        b.append(']');
        Json.field(b, "cells").append('[');
        for (int i = 0; i < cells.size(); i++) {
            b.append(i > 0 ? "," : "");
            cells.get(i).json(b);
        }
        return b.append("]}\n").toString();
    }
}
