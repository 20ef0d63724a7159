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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    public PrometheusCollector(TelemetrySampler sampler) {
        this.s = sampler;
    }

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
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
            f.counter(Metric.THREAD_BUSY, k.counter(r, StatsLayout.BUSY_NS) / 1e9, cpu);
            f.counter(Metric.THREAD_ASLEEP, k.counter(r, StatsLayout.SLEEP_NS) / 1e9, cpu);
            f.log2Histogram(Metric.WAKE_LATENCY, k, r, true, cpu);
            f.log2Histogram(Metric.FREQ_LATENCY, k, r, false, cpu);
        }
    }

    private void system(Families f) {
        for (int i = 0; i < s.threads.size(); i++) {
            f.counter(Metric.THREAD_CPU, s.threads.userSeconds(i), s.threads.name(i), "user");
            f.counter(Metric.THREAD_CPU, s.threads.systemSeconds(i), s.threads.name(i), "system");
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

    /** Collects data points per metric, then builds one family per metric. */
    static final class Families {
        private final Map<Metric, List<Object>> points = new EnumMap<>(Metric.class);

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
            points.computeIfAbsent(m, k -> new ArrayList<>())
                    .add(GaugeDataPointSnapshot.builder().value(v).labels(labels(m, labelValues)).build());
        }

        void counter(Metric m, double v, String... labelValues) {
            points.computeIfAbsent(m, k -> new ArrayList<>())
                    .add(CounterDataPointSnapshot.builder().value(v).labels(labels(m, labelValues)).build());
        }

        void histogram(Metric m, double[] bounds, long[] counts, double sum, String... labelValues) {
            points.computeIfAbsent(m, k -> new ArrayList<>()).add(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(sum)
                    .labels(labels(m, labelValues)).build());
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
