package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.ipmi.DcmiReading;
import dev.eekbp.agent.power.ipmi.DcmiSource;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import dev.eekbp.agent.Version;
import dev.eekbp.agent.kernel.Uapi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns the sampler's latest values into Prometheus metric families at
 * scrape time. Reads the sampler; the sampler never knows about it.
 */
public final class PrometheusCollector implements MultiCollector {
    /** Classic buckets of the probe RTT histogram, in seconds. */
    static final double[] RTT_BOUNDS = {
        50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 1.0,
        Double.POSITIVE_INFINITY,
    };
    static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final TelemetrySampler s;
    private final Path eekbpDir;
    private final Path livepatchDir;
    private final LongSupplier irqOverrides;
    private Boolean configuredFreqCtl;
    private final AtomicLong dropped = new AtomicLong();

    public PrometheusCollector(TelemetrySampler sampler) {
        this(sampler, TelemetryPaths.system(), null);
    }

    /**
     * @param paths where the module's sysfs folder is (next to stats.bin)
     * @param irqOverrides count of re-asserted IRQ affinities, or null when the agent does not pin
     */
    public PrometheusCollector(TelemetrySampler sampler, TelemetryPaths paths, LongSupplier irqOverrides) {
        this.s = sampler;
        this.eekbpDir = paths.statsBin().getParent();
        this.livepatchDir = eekbpDir.getParent().resolve("livepatch/" + LIVEPATCH);
        this.irqOverrides = irqOverrides;
    }

    private static final String LIVEPATCH = "eekbp_livepatch";

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Build and module state, read at scrape time (not in the sample path). */
    private void info(Families f) {
        f.gauge(Metric.BUILD_INFO, 1, Version.VERSION, Integer.toString(Uapi.ABI_VERSION),
                Runtime.version().toString());
        Optional<String> mode = read(eekbpDir.resolve(Uapi.ATTR_MODE));
        if (mode.isPresent()) {
            f.gauge(Metric.CONFIG_INFO, 1, mode.get());
            read(eekbpDir.resolve(Uapi.ATTR_FREQ_CTL)).ifPresent(v -> f.gauge(Metric.CONFIG_FREQ_CTL,
                    v.equals("1") ? 1 : 0));
            read(eekbpDir.resolve(Uapi.ATTR_ENABLED)).ifPresent(v -> f.gauge(Metric.MODULE_ENABLED,
                    v.equals("1") ? 1 : 0));
            f.gauge(Metric.LIVEPATCH_ENABLED, read(livepatchDir.resolve("enabled")).orElse("0").equals("1") ? 1 : 0);
        }
        if (irqOverrides != null) {
            f.counter(Metric.IRQ_AFFINITY_OVERRIDES, irqOverrides.getAsLong());
        }
        if (configuredFreqCtl != null) {
            f.gauge(Metric.CONFIGURED_FREQ_CTL, configuredFreqCtl ? 1 : 0);
        }
    }

    /** Exports the config's [frequency] control (the agent's intent). */
    public PrometheusCollector withConfiguredFreqCtl(Boolean on) {
        this.configuredFreqCtl = on;
        return this;
    }

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
        info(f);
        synchronized (s) {
            power(f);
            kernel(f);
            system(f);
            probe(f);
            f.gauge(Metric.POLLING_THREADS, s.pollingThreads);
            f.gauge(Metric.POWER_PER_POLLING_THREAD, s.wattsPerPollingThread);
            f.gauge(Metric.ENERGY_PER_PACKET, s.joulesPerPacket);
            f.counter(Metric.SAMPLES, s.samples);
            f.gauge(Metric.SAMPLE_DURATION, s.sampleSeconds);
        }
        dropped.addAndGet(f.dropped);
        f.counter(Metric.SERIES_DROPPED, dropped.get());
        return f.build();
    }

    private void power(Families f) {
        for (PowerSource p : s.power) {
            boolean up = p.availability().available();
            f.gauge(Metric.POWER_SOURCE_UP, up ? 1 : 0, p.id());
            if (!up) {
                continue;
            }
            for (int d = 0; d < p.domainCount(); d++) {
                f.counter(Metric.ENERGY, p.energyMicrojoules(d) / 1e6, p.id(), p.domainName(d));
                f.gauge(Metric.POWER, p.watts(d), p.id(), p.domainName(d));
            }
            if (p instanceof DcmiSource dcmi && dcmi.lastReading() != null) {
                DcmiReading r = dcmi.lastReading();
                f.gauge(Metric.DCMI_POWER, r.currentWatts(), "current");
                f.gauge(Metric.DCMI_POWER, r.minWatts(), "minimum");
                f.gauge(Metric.DCMI_POWER, r.maxWatts(), "maximum");
                f.gauge(Metric.DCMI_POWER, r.averageWatts(), "average");
                f.gauge(Metric.DCMI_PERIOD, r.periodMillis() / 1e3);
            }
        }
    }

    private void kernel(Families f) {
        if (s.kstats == null) {
            return;
        }
        f.gauge(Metric.KERNEL_STATS_UP, s.kstatsValid ? 1 : 0);
        if (!s.kstatsValid) {
            return;
        }
        KernelStatsReader k = s.kstats;
        for (int r = 0; r < k.records(); r++) {
            String cpu = Integer.toString(k.cpu(r));
            f.gauge(Metric.THREAD_POLLING, k.state(r) == StatsLayout.STATE_POLLING ? 1 : 0, cpu);
            f.counter(Metric.THREAD_PACKETS, k.counter(r, StatsLayout.PACKETS), cpu);
            f.counter(Metric.THREAD_POLLS, k.counter(r, StatsLayout.POLLS), cpu);
            f.counter(Metric.THREAD_EMPTY_POLLS, k.counter(r, StatsLayout.EMPTY_POLLS), cpu);
            f.counter(Metric.THREAD_SLEEPS, k.counter(r, StatsLayout.SLEEPS), cpu);
            f.counter(Metric.THREAD_IRQ_WAKES, k.counter(r, StatsLayout.IRQ_WAKES), cpu);
            f.counter(Metric.THREAD_FREQ_CHANGES, k.counter(r, StatsLayout.FREQ_UP), cpu, "up");
            f.counter(Metric.THREAD_FREQ_CHANGES, k.counter(r, StatsLayout.FREQ_DOWN), cpu, "down");
            for (int e = 0; e < StatsLayout.EXT_COUNTERS; e++) {
                f.counter(Metric.THREAD_EVENTS, k.counter(r, StatsLayout.COUNTERS + e), cpu,
                        StatsLayout.EXT_COUNTER_NAMES[e]);
            }
            f.counter(Metric.THREAD_BUSY, k.counter(r, StatsLayout.BUSY_NS) / 1e9, cpu);
            f.counter(Metric.THREAD_ASLEEP, k.counter(r, StatsLayout.SLEEP_NS) / 1e9, cpu);
            f.log2Histogram(Metric.WAKE_LATENCY, k, r, true, cpu);
            f.log2Histogram(Metric.FREQ_LATENCY, k, r, false, cpu);
        }
    }

    private void system(Families f) {
        for (int i = 0; i < s.threads.size(); i++) {
            String cpu = threadCpu(s.threads.name(i));
            f.counter(Metric.THREAD_CPU, s.threads.userSeconds(i), cpu, "user");
            f.counter(Metric.THREAD_CPU, s.threads.systemSeconds(i), cpu, "system");
        }
        if (s.irqs != null && s.irqs.irqs().length > 0) {
            for (int c = 0; c < s.irqs.cpus(); c++) {
                f.counter(Metric.NIC_HARDIRQS, s.irqs.count(c), Integer.toString(c));
            }
        }
        if (s.softirqs != null) {
            for (int c = 0; c < s.softirqs.cpus(); c++) {
                f.counter(Metric.SOFTIRQ_NET_RX, s.softirqs.netRx(c), Integer.toString(c));
                f.counter(Metric.SOFTIRQ_NET_TX, s.softirqs.netTx(c), Integer.toString(c));
            }
        }
        if (s.cpufreq != null) {
            for (int i = 0; i < s.cpufreq.size(); i++) {
                String cpu = Integer.toString(s.cpufreq.cpu(i));
                f.gauge(Metric.CPU_FREQUENCY, s.cpufreq.currentKhz(i) * 1e3, cpu);
                f.counter(Metric.CPUFREQ_TRANSITIONS, s.cpufreq.transitions(i), cpu);
                for (int st = 0; st < s.cpufreq.states(i); st++) {
                    f.counter(Metric.CPUFREQ_TIME_IN_STATE, s.cpufreq.stateSeconds(i, st), cpu,
                            Long.toString(s.cpufreq.stateKhz(i, st) * 1000));
                }
            }
        }
        if (s.cpuidle != null) {
            for (int i = 0; i < s.cpuidle.size(); i++) {
                String cpu = Integer.toString(s.cpuidle.cpu(i));
                f.counter(Metric.CPUIDLE_RESIDENCY, s.cpuidle.residencySeconds(i), cpu, s.cpuidle.state(i));
                f.counter(Metric.CPUIDLE_ENTRIES, s.cpuidle.entries(i), cpu, s.cpuidle.state(i));
            }
        }
        if (s.sensors != null) {
            if (!Double.isNaN(s.sensors.cpuCelsius())) {
                f.gauge(Metric.CPU_TEMPERATURE, s.sensors.cpuCelsius());
            }
            int[] fans = s.sensors.fanRpm();
            for (int i = 0; i < fans.length; i++) {
                f.gauge(Metric.FAN_SPEED, fans[i], Integer.toString(i));
            }
        }
    }

    /** "eekbp/3" -> "3": the CPU a polling thread is bound to (the whole name if it has no number). */
    static String threadCpu(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        return !n.isEmpty() && n.chars().allMatch(c -> c >= '0' && c <= '9') ? n : name;
    }

    private void probe(Families f) {
        if (s.prober == null) {
            return;
        }
        f.counter(Metric.PROBE_SENT, s.prober.sent());
        f.counter(Metric.PROBE_LOST, s.prober.lost());
        long[] counts = new long[RTT_BOUNDS.length];
        long below = 0;
        for (int b = 0; b < RTT_BOUNDS.length - 1; b++) {
            long le = s.probeTotal.getCountBetweenValues(0, (long) (RTT_BOUNDS[b] * 1e9));
            counts[b] = le - below;
            below = le;
        }
        counts[RTT_BOUNDS.length - 1] = s.probeTotal.getTotalCount() - below;
        double sum = s.probeTotal.getMean() * s.probeTotal.getTotalCount() / 1e9;
        f.histogram(Metric.PROBE_RTT, RTT_BOUNDS, counts, sum);
        if (s.probeInterval.getTotalCount() > 0) {
            for (double q : QUANTILES) {
                f.gauge(Metric.PROBE_RTT_QUANTILE, s.probeInterval.getValueAtPercentile(q * 100) / 1e9,
                        Double.toString(q));
            }
            f.gauge(Metric.PROBE_RTT_QUANTILE, s.probeInterval.getMaxValue() / 1e9, "1.0");
        }
    }

    /**
     * Collects data points per metric, then builds one family per metric. A
     * point with a label set already seen (duplicate CPU records) or a value
     * the exposition format rejects is dropped and counted, so a bad record
     * costs its own series and never the scrape.
     */
    static final class Families {
        private final Map<Metric, List<Object>> points = new EnumMap<>(Metric.class);
        private final Map<Metric, Set<Labels>> seen = new EnumMap<>(Metric.class);
        long dropped;

        private void add(Metric m, Labels labels, Supplier<Object> point) {
            if (!seen.computeIfAbsent(m, k -> new HashSet<>()).add(labels)) {
                dropped++;
                return;
            }
            try {
                points.computeIfAbsent(m, k -> new ArrayList<>()).add(point.get());
            } catch (IllegalArgumentException e) {
                dropped++;
            }
        }

        private Labels labels(Metric m, String... values) {
            if (values.length != m.labels().size()) {
                throw new AssertionError(m + " takes labels " + m.labels());
            }
            return values.length == 0 ? Labels.EMPTY : Labels.of(m.labels().toArray(new String[0]), values);
        }

        void gauge(Metric m, double v, String... labelValues) {
            if (Double.isNaN(v)) {
                return;
            }
            Labels l = labels(m, labelValues);
            add(m, l, () -> GaugeDataPointSnapshot.builder().value(v).labels(l).build());
        }

        void counter(Metric m, double v, String... labelValues) {
            Labels l = labels(m, labelValues);
            add(m, l, () -> CounterDataPointSnapshot.builder().value(v).labels(l).build());
        }

        void histogram(Metric m, double[] bounds, long[] counts, double sum, String... labelValues) {
            Labels l = labels(m, labelValues);
            add(m, l, () -> HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(sum).labels(l).build());
        }

        /** A kernel log2 histogram: slot s counts values below 2^s ns. */
        void log2Histogram(Metric m, KernelStatsReader k, int r, boolean wake, String... labelValues) {
            int n = StatsLayout.HIST_BUCKETS;
            double[] bounds = new double[n + 1];
            long[] counts = new long[n + 1];
            double sum = 0;
            for (int slot = 0; slot < n; slot++) {
                bounds[slot] = StatsLayout.slotUpperSeconds(slot);
                counts[slot] = wake ? k.wakeHist(r, slot) : k.freqHist(r, slot);
                sum += counts[slot] * (slot == 0 ? 0 : 0.75 * StatsLayout.slotUpperSeconds(slot)); // bucket midpoint
            }
            bounds[n] = Double.POSITIVE_INFINITY;
            histogram(m, bounds, counts, sum, labelValues);
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>();
            for (Map.Entry<Metric, List<Object>> e : points.entrySet()) {
                Metric m = e.getKey();
                Unit unit = m.unit().isEmpty() ? null : new Unit(m.unit());
                switch (m.type()) {
                    case GAUGE -> {
                        var b = GaugeSnapshot.builder().name(m.baseName()).help(m.help()).unit(unit);
                        e.getValue().forEach(p -> b.dataPoint((GaugeDataPointSnapshot) p));
                        out.add(b.build());
                    }
                    case COUNTER -> {
                        var b = CounterSnapshot.builder().name(m.baseName()).help(m.help()).unit(unit);
                        e.getValue().forEach(p -> b.dataPoint((CounterDataPointSnapshot) p));
                        out.add(b.build());
                    }
                    case HISTOGRAM -> {
                        var b = HistogramSnapshot.builder().name(m.baseName()).help(m.help()).unit(unit);
                        e.getValue().forEach(p -> b.dataPoint((HistogramDataPointSnapshot) p));
                        out.add(b.build());
                    }
                    default -> throw new AssertionError(m.type());
                }
            }
            return new MetricSnapshots(out);
        }
    }
}
