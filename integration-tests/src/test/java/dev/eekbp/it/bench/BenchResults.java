package dev.eekbp.it.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything one bench run produced: where it ran, what was measured, and
 * notes on what could not be measured.
 *
 * @param machine  name -> value (host CPU, nproc, QEMU, guest kernel, ...)
 * @param samples  per-second served-CPU samples of the first boot
 */
public record BenchResults(Profile profile, String kernel, Instant started, Duration wall,
        Map<String, String> machine, List<Mode> modes, List<Condition> conditions,
        List<Cell> cells, List<Throughput> throughput, List<Sample> samples,
        List<String> notes) {

    public BenchResults {
        machine = new LinkedHashMap<>(machine);
        cells = List.copyOf(cells);
        throughput = List.copyOf(throughput);
        samples = List.copyOf(samples);
        notes = List.copyOf(notes);
    }

    /** Median and range over repetitions of one metric for a scenario/mode/condition. */
    public Spread spread(String scenario, Mode mode, String condition, Metric metric) {
        return Spread.of(values(c -> c.scenario().equals(scenario) && c.mode() == mode
                && c.condition().equals(condition), metric));
    }

    public Spread throughput(Mode mode, int frame) {
        List<Double> v = new ArrayList<>();
        for (Throughput t : throughput) {
            if (t.mode() == mode && t.frameBytes() == frame) {
                v.add(t.zeroLossPps());
            }
        }
        return Spread.of(v);
    }

    private List<Double> values(Predicate<Cell> which, Metric metric) {
        List<Double> v = new ArrayList<>();
        for (Cell c : cells) {
            if (which.test(c)) {
                v.add(metric.of(c));
            }
        }
        return v;
    }

    /** The conditions that have cells of a scenario, in the run's order. */
    public List<Condition> conditionsOf(String scenario) {
        return conditions.stream().filter(k -> cells.stream().anyMatch(
                c -> c.scenario().equals(scenario) && c.condition().equals(k.id()))).toList();
    }

    /** One in-guest histogram of a scenario/mode/condition, summed over repetitions. */
    public LatencyHist pooled(String scenario, Mode mode, String condition,
            java.util.function.Function<GuestLatency, LatencyHist> which) {
        LatencyHist h = LatencyHist.EMPTY;
        for (Cell c : cells) {
            if (c.scenario().equals(scenario) && c.mode() == mode
                    && c.condition().equals(condition)) {
                h = h.plus(which.apply(c.latency()));
            }
        }
        return h;
    }

    public List<Integer> throughputFrames() {
        return throughput.stream().map(Throughput::frameBytes).distinct().sorted().toList();
    }

    /** The mode a guest time falls into, from the cells' time spans; null between cells. */
    public Mode modeAt(long tMs) {
        for (Cell c : cells) {
            if (tMs >= c.startMs() && tMs <= c.startMs() + (long) (c.seconds() * 1000) + 1000) {
                return c.mode();
            }
        }
        return null;
    }
}
