package dev.eekbp.it.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The measurements of one cell: one mode under one condition for one
 * repetition. Values that do not apply are NaN (e.g. RTT when idle, wakes
 * when the module is not loaded, watts in a TCG guest).
 *
 * @param scenario  "matrix" or "compete" (softIRQ competition)
 * @param startMs   guest clock at the first snapshot
 * @param residency cpufreq residency of the served CPU, kHz -> share (0..1)
 * @param spinWindows adaptive's spin windows opened (module stats, NaN unloaded)
 * @param spinCatches packets adaptive caught while spinning
 * @param latency   the in-guest latency histograms ({@link GuestLatency#NONE} without the instrument)
 */
public record Cell(String scenario, int rep, Mode mode, String condition, long startMs,
        double seconds, long sent, long received, double p50Us, double p99Us, double p999Us,
        double maxUs, double cpuBusyPct, double pollCpuMs, double ksoftirqdCpuMs,
        double threadWakes, double netRx, double hardIrqs, double rxHardIrqs, double eekbpWakes,
        double eekbpSleeps, double eekbpPackets, double freqChanges,
        Map<Long, Double> residency, double watts, double spinWindows, double spinCatches,
        GuestLatency latency) {

    /** A cell measured without the in-guest latency instrument. */
    public Cell(String scenario, int rep, Mode mode, String condition, long startMs,
            double seconds, long sent, long received, double p50Us, double p99Us, double p999Us,
            double maxUs, double cpuBusyPct, double pollCpuMs, double ksoftirqdCpuMs,
            double threadWakes, double netRx, double hardIrqs, double rxHardIrqs,
            double eekbpWakes, double eekbpSleeps, double eekbpPackets, double freqChanges,
            Map<Long, Double> residency, double watts, double spinWindows, double spinCatches) {
        this(scenario, rep, mode, condition, startMs, seconds, sent, received, p50Us, p99Us,
                p999Us, maxUs, cpuBusyPct, pollCpuMs, ksoftirqdCpuMs, threadWakes, netRx,
                hardIrqs, rxHardIrqs, eekbpWakes, eekbpSleeps, eekbpPackets, freqChanges,
                residency, watts, spinWindows, spinCatches, GuestLatency.NONE);
    }

    public double lossPct() {
        return sent == 0 ? Double.NaN : 100.0 * Math.max(0, sent - received) / sent;
    }

    /** Per second of the cell. */
    public double rate(double count) {
        return seconds <= 0 ? Double.NaN : count / seconds;
    }

    /** Per request sent (each is one echo: an RX and a TX); NaN without traffic. */
    public double perPacket(double count) {
        return sent == 0 ? Double.NaN : count / sent;
    }

    /** Ticks of /proc/stat are USER_HZ (100 on Debian). */
    private static final double MS_PER_TICK = 10.0;

    public static Cell of(String scenario, int rep, Mode mode, Condition c, Snapshot a,
            Snapshot b, LoadResult load, int servedCpu) {
        return of(scenario, rep, mode, c, a, b, load, servedCpu, GuestLatency.NONE);
    }

    public static Cell of(String scenario, int rep, Mode mode, Condition c, Snapshot a,
            Snapshot b, LoadResult load, int servedCpu, GuestLatency latency) {
        double seconds = (b.timeMs() - a.timeMs()) / 1e3;
        long total = 0;
        long idle = 0;
        for (int i = 0; i < a.cpuTicks().length; i++) {
            long d = b.cpuTicks()[i] - a.cpuTicks()[i];
            total += d;
            if (i == 3 || i == 4) {
                idle += d;
            }
        }
        double busy = total == 0 ? Double.NaN : 100.0 * (total - idle) / total;
        double poll = 0;
        double softirqd = 0;
        double wakes = 0;
        boolean anyPoll = false;
        // The mode's own poll threads: threaded NAPI's napi/<dev>-<id>, or eekbp/<cpu>
        // (napi threads stay, asleep, after threaded NAPI is switched off).
        String own = mode == Mode.THREADED || mode == Mode.THREADED_DEFER ? "napi/"
                : mode.usesModule() ? "eekbp" : null;
        for (Snapshot.PollThread t : b.threads().values()) {
            Snapshot.PollThread t0 = a.threads().get(t.pid());
            double ms = cpuMs(t0, t);
            long vol = t.voluntary() - (t0 == null ? 0 : t0.voluntary());
            if (t.comm().startsWith("ksoftirqd")) {
                softirqd += ms;
            } else if (own != null && t.comm().startsWith(own)) {
                anyPoll = true;
                poll += ms;
                wakes += vol;
            }
        }
        Map<String, Long> e0 = a.eekbp().get(servedCpu);
        Map<String, Long> e1 = b.eekbp().get(servedCpu);
        boolean stats = e0 != null && e1 != null;
        double freq = b.totalTrans() < 0 || a.totalTrans() < 0 ? Double.NaN
                : b.totalTrans() - a.totalTrans();
        long rxA = servedCpu < a.netRx().length ? a.netRx()[servedCpu] : 0;
        long rxB = servedCpu < b.netRx().length ? b.netRx()[servedCpu] : 0;
        return new Cell(scenario, rep, mode, c.id(), a.timeMs(), seconds,
                load == null ? 0 : load.sent(), load == null ? 0 : load.received(),
                load == null ? Double.NaN : load.p50Us(), load == null ? Double.NaN : load.p99Us(),
                load == null ? Double.NaN : load.p999Us(), load == null ? Double.NaN : load.maxUs(),
                busy, anyPoll ? poll : Double.NaN, softirqd, anyPoll ? wakes : Double.NaN,
                rxB - rxA, b.nicIrqs() - a.nicIrqs(), b.nicRxIrqs() - a.nicRxIrqs(),
                stats ? delta(e0, e1, "irq_wakes") : Double.NaN,
                stats ? delta(e0, e1, "sleeps") : Double.NaN,
                stats ? delta(e0, e1, "packets") : Double.NaN, freq,
                residency(a.timeInState(), b.timeInState()), Double.NaN,
                stats ? delta(e0, e1, "spin_windows") : Double.NaN,
                stats ? delta(e0, e1, "spin_catches") : Double.NaN, latency);
    }

    /** CPU time between two readings: schedstat ns when both have it, else ticks. */
    private static double cpuMs(Snapshot.PollThread a, Snapshot.PollThread b) {
        if (a == null) {
            return b.runNs() >= 0 ? b.runNs() / 1e6 : (b.utime() + b.stime()) * MS_PER_TICK;
        }
        if (a.runNs() >= 0 && b.runNs() >= 0) {
            return (b.runNs() - a.runNs()) / 1e6;
        }
        return (b.utime() + b.stime() - a.utime() - a.stime()) * MS_PER_TICK;
    }

    private static double delta(Map<String, Long> a, Map<String, Long> b, String key) {
        Long x = a.get(key);
        Long y = b.get(key);
        return x == null || y == null ? Double.NaN : y - x;
    }

    static Map<Long, Double> residency(Map<Long, Long> a, Map<Long, Long> b) {
        Map<Long, Double> out = new TreeMap<>();
        long sum = 0;
        for (Map.Entry<Long, Long> e : b.entrySet()) {
            sum += e.getValue() - a.getOrDefault(e.getKey(), 0L);
        }
        if (sum <= 0) {
            return out;
        }
        for (Map.Entry<Long, Long> e : b.entrySet()) {
            out.put(e.getKey(), (e.getValue() - a.getOrDefault(e.getKey(), 0L)) / (double) sum);
        }
        return out;
    }

    /** Share of time at the lowest frequency (NaN without cpufreq). */
    public double minFreqShare() {
        return residency.isEmpty() ? Double.NaN : residency.values().iterator().next();
    }
}
