package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.power.MachineTotal;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.telemetry.CpufreqReader;
import dev.eekbp.agent.telemetry.InterruptsReader;
import dev.eekbp.agent.telemetry.KernelStatsReader;
import dev.eekbp.agent.telemetry.NicIrqs;
import dev.eekbp.agent.telemetry.OptionalReaders;
import dev.eekbp.agent.telemetry.SoftirqsReader;
import dev.eekbp.agent.telemetry.StatsLayout;
import dev.eekbp.agent.telemetry.TelemetryPaths;
import dev.eekbp.agent.telemetry.ThreadCpuReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counters of one cell: read at begin(), power sampled on tick() so no
 * counter wrap is missed, differences taken at end(). Readers that cannot
 * be opened on this machine are listed in unavailable() and give NaN.
 */
final class CellMeter implements AutoCloseable {
    private final TelemetryPaths paths;
    private final CpuList served;
    private final SoftirqsReader softirqs;
    private final InterruptsReader irqs;
    private final CpufreqReader cpufreq;
    private final ThreadCpuReader threads;
    /** Threaded NAPI's kthreads (napi/DEV-N), counted with the module's as poll threads. */
    private final ThreadCpuReader napiThreads;
    /** statistics/rx_packets of the served NICs. */
    private final List<Path> rxPackets;
    private final List<String> unavailable;
    /** The power source the joules come from (the telemetry's choice), or null. */
    private final PowerSource source;

    private long t0;
    private long netRx0;
    private long irqs0;
    private long rx0;
    private long[] stat0;
    private double threadCpu0;
    private KernelStatsReader kstats;
    private long wakes0;
    private long transitions0;
    private double[] minSeconds0;
    private double[] allSeconds0;
    private long energy0;
    private long lastPowerSample;
    private boolean powerSampled;

    private CellMeter(TelemetryPaths paths, List<PowerSource> power, CpuList served, List<String> nics,
            SoftirqsReader softirqs, InterruptsReader irqs, CpufreqReader cpufreq, List<String> unavailable) {
        this.paths = paths;
        this.served = served;
        this.softirqs = softirqs;
        this.irqs = irqs;
        this.cpufreq = cpufreq;
        this.threads = new ThreadCpuReader(paths.proc(), ThreadCpuReader.DEFAULT_PREFIX);
        this.napiThreads = new ThreadCpuReader(paths.proc(), "napi/");
        this.rxPackets = nics.stream().map(d -> paths.sysClassNet().resolve(d).resolve("statistics/rx_packets"))
                .toList();
        this.unavailable = unavailable;
        this.source = MachineTotal.primary(power);
    }

    /** Opens what this machine has; devices: NICs whose hardIRQs count (empty = all physical NICs). */
    static CellMeter open(TelemetryPaths paths, List<PowerSource> power, CpuList served, List<String> devices) {
        List<String> missing = new ArrayList<>();
        SoftirqsReader sr = OptionalReaders.softirqs(paths, missing);
        InterruptsReader ir = OptionalReaders.nicInterrupts(paths, devices, missing);
        CpufreqReader cf = OptionalReaders.cpufreq(paths, missing);
        for (PowerSource s : power) {
            if (!s.availability().available()) {
                missing.add("power " + s.id() + ": " + s.availability().reason());
            }
        }
        List<String> nics;
        try {
            nics = NicIrqs.netdevs(paths.sysClassNet(), devices);
        } catch (IOException e) {
            nics = List.of();
        }
        if (nics.isEmpty()) {
            missing.add("received packets: no NIC found in " + paths.sysClassNet());
        }
        return new CellMeter(paths, power, served, nics, sr, ir, cf, missing);
    }

    List<String> unavailable() {
        return List.copyOf(unavailable);
    }

    String powerSourceId() {
        return source == null ? "" : source.id();
    }

    void begin(long now) throws IOException {
        t0 = now;
        netRx0 = netRx();
        irqs0 = hardIrqs();
        rx0 = rxPackets();
        stat0 = ProcStat.busyAndTotal(paths.proc().resolve("stat"), served);
        threads.discover();
        threads.sample();
        napiThreads.discover();
        napiThreads.sample();
        threadCpu0 = threadCpu(threads) + threadCpu(napiThreads);
        closeKstats();
        if (Files.exists(paths.statsBin())) {
            kstats = KernelStatsReader.open(paths.statsBin());
            wakes0 = kstats.sample() ? kstats.total(StatsLayout.IRQ_WAKES) : -1;
        }
        if (cpufreq != null && cpufreq.size() > 0) {
            cpufreq.sample();
            transitions0 = transitions();
            minSeconds0 = new double[cpufreq.size()];
            allSeconds0 = new double[cpufreq.size()];
            residency(minSeconds0, allSeconds0);
        }
        powerSampled = false;
        tick(now);
        energy0 = source == null ? 0 : MachineTotal.energyMicrojoules(source);
    }

    /** Samples the power source when its interval allows; call at least once a second. */
    void tick(long now) {
        if (source == null) {
            return;
        }
        if (!powerSampled || now - lastPowerSample >= source.minIntervalNanos()) {
            source.sample(now);
            lastPowerSample = now;
            powerSampled = true;
        }
    }

    /** Longest safe gap between tick() calls. */
    long tickNanos() {
        long safe = source == null ? Long.MAX_VALUE : source.maxSafeIntervalNanos() / 2;
        return Math.max(10_000_000L, Math.min(1_000_000_000L, safe));
    }

    /** The cell's differences; the probe part comes from the caller. */
    CellResult end(BenchMode mode, int rep, int rate, long now, String note, ProbeFigures probe) throws IOException {
        double seconds = (now - t0) / 1e9;
        long netRx = netRx() - netRx0;
        long hard = hardIrqs() - irqs0;
        long rx = rxPackets() - rx0;
        long[] stat1 = ProcStat.busyAndTotal(paths.proc().resolve("stat"), served);
        long totalJ = stat1[1] - stat0[1];
        double busy = totalJ > 0 ? (double) (stat1[0] - stat0[0]) / totalJ : Double.NaN;
        double pollCpu = Double.NaN;
        if (threads.size() + napiThreads.size() > 0) {
            threads.sample();
            napiThreads.sample();
            boolean stale = threads.stale() || napiThreads.stale();
            double now1 = threadCpu(threads) + threadCpu(napiThreads);
            // whole clock ticks (1/100 s): round away the floating-point sum's noise
            pollCpu = stale ? Double.NaN : Math.round((now1 - threadCpu0) * 100) / 100.0;
        }
        double wakes = Double.NaN;
        if (kstats != null && wakes0 >= 0 && kstats.sample()) {
            wakes = kstats.total(StatsLayout.IRQ_WAKES) - wakes0;
        }
        closeKstats();
        double trans = Double.NaN;
        double minShare = Double.NaN;
        if (minSeconds0 != null) {
            cpufreq.sample();
            trans = transitions() - transitions0;
            double[] min1 = new double[cpufreq.size()];
            double[] all1 = new double[cpufreq.size()];
            residency(min1, all1);
            double min = 0;
            double all = 0;
            for (int i = 0; i < min1.length; i++) {
                min += min1[i] - minSeconds0[i];
                all += all1[i] - allSeconds0[i];
            }
            minShare = all > 0 ? min / all : Double.NaN;
        }
        powerSampled = false;
        tick(now);
        double joules = source == null ? Double.NaN : (MachineTotal.energyMicrojoules(source) - energy0) / 1e6;
        return new CellResult(mode, rep, rate, seconds, note, probe.sent(), probe.lost(), probe.p50Us(),
                probe.p99Us(), probe.p999Us(), probe.maxUs(), rx, netRx, hard, wakes, busy, pollCpu, trans, minShare, powerSourceId(),
                joules);
    }

    /** Round-trip figures of a cell (NaN without a probe target). */
    record ProbeFigures(long sent, long lost, double p50Us, double p99Us, double p999Us, double maxUs) {
        static final ProbeFigures NONE = new ProbeFigures(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private long netRx() throws IOException {
        if (softirqs == null) {
            return 0;
        }
        softirqs.sample();
        long n = 0;
        for (int cpu = 0; cpu < softirqs.cpus(); cpu++) {
            n += served.contains(cpu) ? softirqs.netRx(cpu) : 0;
        }
        return n;
    }

    private long hardIrqs() throws IOException {
        if (irqs == null) {
            return 0;
        }
        irqs.sample();
        long n = 0;
        for (int cpu = 0; cpu < irqs.cpus(); cpu++) {
            n += irqs.count(cpu);
        }
        return n;
    }

    private static double threadCpu(ThreadCpuReader t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.userSeconds(i) + t.systemSeconds(i);
        }
        return s;
    }

    /** Sum of rx_packets over the served NICs (a NIC that went away counts 0). */
    private long rxPackets() {
        long n = 0;
        for (Path p : rxPackets) {
            try {
                n += Long.parseLong(Files.readString(p).strip());
            } catch (IOException | NumberFormatException e) {
                // not counted
            }
        }
        return n;
    }

    private long transitions() {
        long n = 0;
        for (int i = 0; i < cpufreq.size(); i++) {
            n += served.contains(cpufreq.cpu(i)) ? cpufreq.transitions(i) : 0;
        }
        return n;
    }

    /** Per cpufreq CPU: seconds at its lowest state and at all states (0 for unserved CPUs). */
    private void residency(double[] min, double[] all) {
        for (int i = 0; i < cpufreq.size(); i++) {
            if (!served.contains(cpufreq.cpu(i)) || cpufreq.states(i) == 0) {
                continue;
            }
            int lowest = 0;
            for (int s = 0; s < cpufreq.states(i); s++) {
                all[i] += cpufreq.stateSeconds(i, s);
                if (cpufreq.stateKhz(i, s) < cpufreq.stateKhz(i, lowest)) {
                    lowest = s;
                }
            }
            min[i] = cpufreq.stateSeconds(i, lowest);
        }
    }

    private void closeKstats() throws IOException {
        if (kstats != null) {
            kstats.close();
            kstats = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeKstats();
        threads.close();
        napiThreads.close();
        if (softirqs != null) {
            softirqs.close();
        }
        if (irqs != null) {
            irqs.close();
        }
        if (cpufreq != null) {
            cpufreq.close();
        }
    }
}
