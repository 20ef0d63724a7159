package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.power.MachineTotal;
import dev.eekbp.agent.power.PowerSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Owns every reader and takes one sample of all of them, then computes the
 * derived figures. The sample path reuses preallocated state; exporters read
 * the results under the sampler's lock. Readers that could not be opened are
 * null and listed in unavailable().
 */
public final class TelemetrySampler implements AutoCloseable {
    /** OSHI allocates, so sensors are read at most this often. */
    static final long SENSOR_PERIOD_NANOS = 10_000_000_000L;
    /** When no thread was found, /proc is scanned again at most this often. */
    static final long REDISCOVER_PERIOD_NANOS = 30_000_000_000L;

    final List<PowerSource> power;
    final KernelStatsReader kstats;
    final InterruptsReader irqs;
    final SoftirqsReader softirqs;
    final CpufreqReader cpufreq;
    final CpuidleReader cpuidle;
    final ThreadCpuReader threads;
    final SensorReader sensors;
    final UdpProber prober;
    private final List<String> unavailable;

    private final long[] powerSampled;
    final Histogram probeInterval = new Histogram(1_000, UdpProber.HIGHEST_NS, 3);
    final Histogram probeTotal = new Histogram(1_000, UdpProber.HIGHEST_NS, 3);

    private long sensorsRead;
    private long threadsDiscovered;
    boolean kstatsValid;
    String kstatsError = "";
    long samples;
    double sampleSeconds;
    long lastNanos;
    long lastWallMillis;
    // derived figures
    double powerWatts = Double.NaN;
    double pollingThreads = Double.NaN;
    double wattsPerPollingThread = Double.NaN;
    double joulesPerPacket = Double.NaN;
    private long prevEnergyUj = -1;
    private long prevPackets = -1;
    private long prevBusyNs = -1;

    private TelemetrySampler(List<PowerSource> power, KernelStatsReader kstats, InterruptsReader irqs,
            SoftirqsReader softirqs, CpufreqReader cpufreq, CpuidleReader cpuidle, ThreadCpuReader threads,
            SensorReader sensors, UdpProber prober, List<String> unavailable) {
        this.power = List.copyOf(power);
        this.powerSampled = new long[power.size()];
        this.kstats = kstats;
        this.irqs = irqs;
        this.softirqs = softirqs;
        this.cpufreq = cpufreq;
        this.cpuidle = cpuidle;
        this.threads = threads;
        this.sensors = sensors;
        this.prober = prober;
        this.unavailable = Collections.unmodifiableList(unavailable);
    }

    /**
     * Opens every reader it can. devices: NICs whose IRQs are counted (empty =
     * all physical NICs); prober and sensors may be null.
     */
    static TelemetrySampler open(TelemetryPaths paths, List<PowerSource> power, List<String> devices,
            UdpProber prober, SensorReader sensors) {
        List<String> missing = new ArrayList<>();
        KernelStatsReader ks = null;
        if (Files.exists(paths.statsBin())) {
            try {
                ks = KernelStatsReader.open(paths.statsBin());
            } catch (IOException e) {
                missing.add("kernel stats: " + e);
            }
        } else {
            missing.add("kernel stats: " + paths.statsBin() + " is missing (eekbp module not loaded)");
        }
        InterruptsReader ir = OptionalReaders.nicInterrupts(paths, devices, missing);
        SoftirqsReader sr = OptionalReaders.softirqs(paths, missing);
        CpufreqReader cf = OptionalReaders.cpufreq(paths, missing);
        CpuidleReader ci = null;
        try {
            ci = CpuidleReader.open(paths.sysCpu());
            if (ci.size() == 0) {
                missing.add("cpuidle: no idle states");
            }
        } catch (IOException e) {
            missing.add("cpuidle: " + e);
        }
        ThreadCpuReader th = new ThreadCpuReader(paths.proc(), ThreadCpuReader.DEFAULT_PREFIX);
        try {
            th.discover();
        } catch (IOException e) {
            missing.add("thread CPU time: " + e);
        }
        for (PowerSource s : power) {
            if (!s.availability().available()) {
                missing.add(s.id() + ": " + s.availability().reason());
            }
        }
        return new TelemetrySampler(power, ks, ir, sr, cf, ci, th, sensors,
                prober, missing);
    }

    /** Samples only the power sources (between full samples, to catch wraps). */
    public synchronized void samplePower(long now) {
        for (int i = 0; i < power.size(); i++) {
            PowerSource s = power.get(i);
            if (s.domainCount() > 0 && (powerSampled[i] == 0 || now - powerSampled[i] >= s.minIntervalNanos())) {
                s.sample(now);
                powerSampled[i] = now;
            }
        }
    }

    /** One full sample of every reader, then the derived figures. */
    public synchronized void sample(long now, long wallMillis) {
        long t0 = System.nanoTime();
        samplePower(now);
        if (kstats != null) {
            try {
                kstatsValid = kstats.sample();
                kstatsError = kstats.error();
            } catch (IOException e) {
                kstatsValid = false;
                kstatsError = e.toString();
            }
        }
        try {
            if (irqs != null) {
                irqs.sample();
            }
            if (softirqs != null) {
                softirqs.sample();
            }
            if (cpufreq != null) {
                cpufreq.sample();
            }
            if (cpuidle != null) {
                cpuidle.sample();
            }
        } catch (IOException e) {
            // a CPU went offline: the next discovery (restart) picks it up
        }
        sampleThreads(now);
        if (sensors != null && (samples == 0 || now - sensorsRead >= SENSOR_PERIOD_NANOS)) {
            sensors.sample();
            sensorsRead = now;
        }
        if (prober != null) {
            prober.intervalHistogram(probeInterval);
            probeTotal.add(probeInterval);
        }
        derive(now);
        samples++;
        lastNanos = now;
        lastWallMillis = wallMillis;
        sampleSeconds = (System.nanoTime() - t0) / 1e9;
    }

    private void sampleThreads(long now) {
        try {
            if (threads.stale() || (threads.size() == 0 && now - threadsDiscovered >= REDISCOVER_PERIOD_NANOS)) {
                threads.discover();
                threadsDiscovered = now;
            }
        } catch (IOException e) {
            return;
        }
        threads.sample();
    }

    /** The source whose top-level domains give the machine's power, or null. */
    PowerSource primary() {
        return MachineTotal.primary(power);
    }

    private void derive(long now) {
        PowerSource p = primary();
        long energy = -1;
        double watts = Double.NaN;
        if (p != null) {
            energy = MachineTotal.energyMicrojoules(p);
            watts = MachineTotal.watts(p);
        }
        powerWatts = watts;
        long packets = kstatsValid ? kstats.total(StatsLayout.PACKETS) : -1;
        long busy = kstatsValid ? kstats.total(StatsLayout.BUSY_NS) : -1;
        long dt = now - lastNanos;
        if (lastNanos != 0 && dt > 0 && busy >= 0 && prevBusyNs >= 0) {
            pollingThreads = (double) (busy - prevBusyNs) / dt;
        } else {
            pollingThreads = kstatsValid ? kstats.polling() : Double.NaN;
        }
        wattsPerPollingThread = pollingThreads > 0 ? watts / pollingThreads : Double.NaN;
        if (energy >= 0 && packets >= 0 && prevEnergyUj >= 0 && prevPackets >= 0 && packets > prevPackets) {
            joulesPerPacket = (energy - prevEnergyUj) / 1e6 / (packets - prevPackets);
        } else {
            joulesPerPacket = Double.NaN;
        }
        prevEnergyUj = energy;
        prevPackets = packets;
        prevBusyNs = busy;
    }

    /** What could not be opened, with reasons (operator-readable). */
    public List<String> unavailable() {
        return unavailable;
    }

    /** The longest interval at which no power counter can wrap unseen. */
    public long maxSafeIntervalNanos() {
        long m = Long.MAX_VALUE;
        for (PowerSource s : power) {
            m = Math.min(m, s.maxSafeIntervalNanos());
        }
        return m;
    }

    public synchronized long samples() {
        return samples;
    }

    @Override
    public synchronized void close() {
        if (prober != null) {
            prober.close();
        }
        for (PowerSource s : power) {
            s.close();
        }
        closeQuietly(kstats);
        closeQuietly(irqs);
        closeQuietly(softirqs);
        closeQuietly(cpufreq);
        closeQuietly(cpuidle);
        threads.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing read-only procfs/sysfs files cannot lose data
        }
    }
}
