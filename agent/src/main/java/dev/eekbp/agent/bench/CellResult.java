package dev.eekbp.agent.bench;

import dev.eekbp.agent.telemetry.Json;

/**
 * What one mode did in one repetition. NaN means not measured (no probe
 * target, module not loaded, no cpufreq or power source on this machine).
 *
 * @param ratePps      round trips per second offered to the echo target, 0 for idle cells
 * @param rxPackets    packets received by the served NICs (statistics/rx_packets)
 * @param netRx        NET_RX softirqs on the served CPUs
 * @param hardIrqs     hardIRQs of the served NICs, all CPUs
 * @param wakes        poll-thread wakes from the hardIRQ path (module modes only)
 * @param busyShare    busy share of the served CPUs, 0..1 (/proc/stat, all work on them)
 * @param pollCpuSeconds CPU time of the poll threads (eekbp/N, and threaded NAPI's napi/DEV-N)
 * @param minFreqShare share of the served CPUs' time at their lowest frequency, 0..1
 * @param powerSource  the source the joules come from, "" when none
 */
public record CellResult(BenchMode mode, int rep, int ratePps, double seconds, String note, long sent, long lost,
        double p50Us, double p99Us, double p999Us, double maxUs, long rxPackets, long netRx, long hardIrqs,
        double wakes, double busyShare, double pollCpuSeconds, double freqTransitions, double minFreqShare,
        String powerSource, double joules) {

    public double watts() {
        return joules / seconds;
    }

    /** {@code v} per received packet; NaN without packets. */
    public double perPacket(double v) {
        return rxPackets > 0 ? v / rxPackets : Double.NaN;
    }

    public double hardIrqsPerPacket() {
        return perPacket(hardIrqs);
    }

    public double netRxPerPacket() {
        return perPacket(netRx);
    }

    public double wakesPerPacket() {
        return perPacket(wakes);
    }

    public double freqTransitionsPerPacket() {
        return perPacket(freqTransitions);
    }

    public double pollCpuUsPerPacket() {
        return perPacket(pollCpuSeconds * 1e6);
    }

    public double microjoulesPerPacket() {
        return perPacket(joules * 1e6);
    }

    /** One JSON object. */
    public StringBuilder json(StringBuilder b) {
        b.append('{');
        Json.field(b, "mode");
        Json.string(b, mode.label());
        Json.field(b, "rep").append(rep);
        Json.field(b, "rate_pps").append(ratePps);
        Json.number(Json.field(b, "seconds"), seconds);
        Json.field(b, "note");
        Json.string(b, note);
        Json.field(b, "probes_sent").append(sent);
        Json.field(b, "probes_lost").append(lost);
        Json.number(Json.field(b, "rtt_p50_us"), p50Us);
        Json.number(Json.field(b, "rtt_p99_us"), p99Us);
        Json.number(Json.field(b, "rtt_p999_us"), p999Us);
        Json.number(Json.field(b, "rtt_max_us"), maxUs);
        Json.field(b, "rx_packets").append(rxPackets);
        Json.field(b, "net_rx_softirqs").append(netRx);
        Json.field(b, "nic_hardirqs").append(hardIrqs);
        Json.number(Json.field(b, "wakes"), wakes);
        Json.number(Json.field(b, "served_cpu_busy_share"), busyShare);
        Json.number(Json.field(b, "poll_thread_cpu_seconds"), pollCpuSeconds);
        Json.number(Json.field(b, "freq_transitions"), freqTransitions);
        Json.number(Json.field(b, "min_freq_share"), minFreqShare);
        Json.field(b, "power_source");
        Json.string(b, powerSource);
        Json.number(Json.field(b, "joules"), joules);
        Json.number(Json.field(b, "watts"), watts());
        Json.number(Json.field(b, "hardirqs_per_packet"), hardIrqsPerPacket());
        Json.number(Json.field(b, "net_rx_per_packet"), netRxPerPacket());
        Json.number(Json.field(b, "wakes_per_packet"), wakesPerPacket());
        Json.number(Json.field(b, "freq_transitions_per_packet"), freqTransitionsPerPacket());
        Json.number(Json.field(b, "poll_cpu_us_per_packet"), pollCpuUsPerPacket());
        Json.number(Json.field(b, "microjoules_per_packet"), microjoulesPerPacket());
        return b.append('}');
    }
}
