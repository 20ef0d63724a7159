package dev.eekbp.it.bench;

import java.util.function.ToDoubleFunction;

/** A per-cell number that tables, CSV and charts show, with its unit. */
public enum Metric {
    RTT_P50("rtt_p50_us", "RTT p50", "us", Cell::p50Us),
    RTT_P99("rtt_p99_us", "RTT p99", "us", Cell::p99Us),
    RTT_P999("rtt_p999_us", "RTT p99.9", "us", Cell::p999Us),
    RTT_MAX("rtt_max_us", "RTT max", "us", Cell::maxUs),
    LOSS("loss_pct", "loss", "%", Cell::lossPct),
    CPU_BUSY("cpu_busy_pct", "served CPU busy", "%", Cell::cpuBusyPct),
    POLL_CPU("poll_cpu_ms_per_s", "poll-thread CPU", "ms/s", c -> c.rate(c.pollCpuMs())),
    KSOFTIRQD("ksoftirqd_ms_per_s", "ksoftirqd CPU", "ms/s", c -> c.rate(c.ksoftirqdCpuMs())),
    THREAD_WAKES("thread_wakes_per_s", "poll-thread wakes", "1/s",
            c -> c.rate(c.threadWakes())),
    EEKBP_WAKES("eekbp_irq_wakes_per_s", "EE-KBP hardIRQ wakes", "1/s",
            c -> c.rate(c.eekbpWakes())),
    NET_RX("net_rx_per_s", "NET_RX softirqs (served CPU)", "1/s", c -> c.rate(c.netRx())),
    HARD_IRQ("nic_hardirq_per_s", "NIC hardIRQs", "1/s", c -> c.rate(c.hardIrqs())),
    FREQ_CHANGES("freq_changes_per_s", "frequency changes", "1/s",
            c -> c.rate(c.freqChanges())),
    MIN_FREQ_SHARE("min_freq_pct", "time at min frequency", "%", c -> 100 * c.minFreqShare()),
    WATTS("watts", "power", "W", Cell::watts),
    IRQ_PER_PKT("hardirqs_per_pkt", "NIC hardIRQs per packet", "1/pkt",
            c -> c.perPacket(c.hardIrqs())),
    /** Receive-queue interrupts only: the train check (one per packet = no batching). */
    RX_IRQ_PER_PKT("rx_hardirqs_per_pkt", "NIC RX hardIRQs per packet", "1/pkt",
            c -> c.perPacket(c.rxHardIrqs())),
    WAKES_PER_PKT("wakes_per_pkt", "poll-thread wakes per packet", "1/pkt",
            c -> c.perPacket(c.threadWakes())),
    /** hardIRQs plus poll-thread wakes (0 wakes for the softirq modes). */
    IRQ_WAKES_PER_PKT("hardirqs_wakes_per_pkt", "hardIRQs + wakes per packet", "1/pkt",
            c -> c.perPacket(c.hardIrqs() + (Double.isNaN(c.threadWakes()) ? 0
                    : c.threadWakes()))),
    FREQ_PER_PKT("freq_changes_per_pkt", "frequency changes per packet", "1/pkt",
            c -> c.perPacket(c.freqChanges())),
    POLL_CPU_PER_PKT("poll_cpu_us_per_pkt", "poll-thread CPU per packet", "us/pkt",
            c -> c.perPacket(c.pollCpuMs() * 1000)),
    SPIN_WINDOWS_PER_PKT("spin_windows_per_pkt", "spin windows per packet", "1/pkt",
            c -> c.perPacket(c.spinWindows())),
    SPIN_CATCHES_PER_PKT("spin_catches_per_pkt", "packets caught spinning per packet", "1/pkt",
            c -> c.perPacket(c.spinCatches())),
    /** In-guest instrument: NIC hardIRQ to the first packet a poll hands to the stack. */
    IRQ2RX_P50("irq2rx_p50_us", "hardIRQ to poll p50", "us",
            c -> c.latency().irq2rx().percentile(50)),
    IRQ2RX_P99("irq2rx_p99_us", "hardIRQ to poll p99", "us",
            c -> c.latency().irq2rx().percentile(99)),
    IRQ2RX_P999("irq2rx_p999_us", "hardIRQ to poll p99.9", "us",
            c -> c.latency().irq2rx().percentile(99.9)),
    IRQ2RX_MAX("irq2rx_max_us", "hardIRQ to poll max", "us", c -> c.latency().irq2rx().max()),
    /** In-guest instrument: NIC hardIRQ to the first UDP datagram queued to a socket. */
    IRQ2SOCK_P50("irq2sock_p50_us", "hardIRQ to socket p50", "us",
            c -> c.latency().irq2sock().percentile(50)),
    IRQ2SOCK_P99("irq2sock_p99_us", "hardIRQ to socket p99", "us",
            c -> c.latency().irq2sock().percentile(99)),
    IRQ2SOCK_P999("irq2sock_p999_us", "hardIRQ to socket p99.9", "us",
            c -> c.latency().irq2sock().percentile(99.9)),
    IRQ2SOCK_MAX("irq2sock_max_us", "hardIRQ to socket max", "us",
            c -> c.latency().irq2sock().max()),
    IRQ2SOCK_SAMPLES("irq2sock_samples", "hardIRQ to socket samples", "1",
            c -> c.latency().measured() ? c.latency().irq2sock().total() : Double.NaN);

    private final String id;
    private final String label;
    private final String unit;
    private final ToDoubleFunction<Cell> fn;

    Metric(String id, String label, String unit, ToDoubleFunction<Cell> fn) {
        this.id = id;
        this.label = label;
        this.unit = unit;
        this.fn = fn;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public double of(Cell c) {
        return fn.applyAsDouble(c);
    }
}
