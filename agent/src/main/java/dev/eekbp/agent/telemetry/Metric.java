package dev.eekbp.agent.telemetry;

import java.util.List;

/**
 * Every metric the agent exports: exposition name, type, unit and labels.
 * docs/telemetry.md documents the same list (a unit test keeps them equal).
 */
public enum Metric {
    POWER_SOURCE_UP("eekbp_power_source_up", Type.GAUGE, "",
            "1 when the power source works, 0 when not (eekbp status says why)", "source"),
    ENERGY("eekbp_energy_joules_total", Type.COUNTER, "joules",
            "Energy since agent start per source and domain, wrap-corrected", "source", "domain"),
    POWER("eekbp_power_watts", Type.GAUGE, "watts", "Average power over the last sample interval",
            "source", "domain"),
    DCMI_POWER("eekbp_dcmi_power_watts", Type.GAUGE, "watts",
            "BMC DCMI power reading: current, minimum, maximum, average over the period", "stat"),
    DCMI_PERIOD("eekbp_dcmi_period_seconds", Type.GAUGE, "seconds", "BMC DCMI statistics period"),
    KERNEL_STATS_UP("eekbp_kernel_stats_up", Type.GAUGE, "", "1 when /sys/kernel/eekbp/stats.bin was read and valid"),
    THREAD_POLLING("eekbp_thread_polling", Type.GAUGE, "", "1 when the CPU's thread is polling, 0 when asleep",
            "cpu"),
    THREAD_PACKETS("eekbp_thread_packets_total", Type.COUNTER, "", "Packets returned by napi poll calls", "cpu"),
    THREAD_POLLS("eekbp_thread_polls_total", Type.COUNTER, "", "napi poll calls", "cpu"),
    THREAD_EMPTY_POLLS("eekbp_thread_empty_polls_total", Type.COUNTER, "", "napi poll calls that found no packet",
            "cpu"),
    THREAD_SLEEPS("eekbp_thread_sleeps_total", Type.COUNTER, "", "Times the thread went to sleep", "cpu"),
    THREAD_IRQ_WAKES("eekbp_thread_irq_wakes_total", Type.COUNTER, "", "Wake-ups from the hardIRQ path", "cpu"),
    THREAD_FREQ_CHANGES("eekbp_thread_freq_changes_total", Type.COUNTER, "",
            "Frequency changes made by the thread (up = to max, down = to min)", "cpu", "direction"),
    THREAD_EVENTS("eekbp_thread_events_total", Type.COUNTER, "",
            "Thread events: freq_fail, freq_skipped, budget_breaks, rps_ipis, defer_flushes, stock_kicks,"
                    + " spin_windows, spin_catches, spin_expired, freq_held, nap_wakes (kmod/README.md)",
            "cpu", "event"),
    THREAD_BUSY("eekbp_thread_busy_seconds_total", Type.COUNTER, "seconds", "Time the thread was awake", "cpu"),
    THREAD_ASLEEP("eekbp_thread_sleep_seconds_total", Type.COUNTER, "seconds", "Time the thread slept", "cpu"),
    WAKE_LATENCY("eekbp_thread_wake_latency_seconds", Type.HISTOGRAM, "seconds",
            "hardIRQ to first poll latency (kernel log2 buckets)", "cpu"),
    FREQ_LATENCY("eekbp_thread_freq_latency_seconds", Type.HISTOGRAM, "seconds",
            "Time a frequency change took (kernel log2 buckets)", "cpu"),
    THREAD_CPU("eekbp_thread_cpu_seconds_total", Type.COUNTER, "seconds",
            "CPU time of the polling kernel thread of each CPU (/proc/PID/stat)", "cpu", "mode"),
    NIC_HARDIRQS("eekbp_nic_hardirqs_total", Type.COUNTER, "", "hardIRQs of the served NICs (/proc/interrupts)",
            "cpu"),
    SOFTIRQ_NET_RX("eekbp_softirq_net_rx_total", Type.COUNTER, "", "NET_RX softirqs (/proc/softirqs)", "cpu"),
    SOFTIRQ_NET_TX("eekbp_softirq_net_tx_total", Type.COUNTER, "", "NET_TX softirqs (/proc/softirqs)", "cpu"),
    CPU_FREQUENCY("eekbp_cpu_frequency_hertz", Type.GAUGE, "hertz", "Current CPU frequency (scaling_cur_freq)",
            "cpu"),
    CPUFREQ_TRANSITIONS("eekbp_cpufreq_transitions_total", Type.COUNTER, "", "cpufreq frequency transitions",
            "cpu"),
    CPUFREQ_TIME_IN_STATE("eekbp_cpufreq_time_in_state_seconds_total", Type.COUNTER, "seconds",
            "Time spent at each frequency (cpufreq stats)", "cpu", "frequency_hertz"),
    CPUIDLE_RESIDENCY("eekbp_cpuidle_residency_seconds_total", Type.COUNTER, "seconds",
            "Time spent in each idle state", "cpu", "state"),
    CPUIDLE_ENTRIES("eekbp_cpuidle_entries_total", Type.COUNTER, "", "Entries into each idle state", "cpu", "state"),
    CPU_TEMPERATURE("eekbp_cpu_temperature_celsius", Type.GAUGE, "celsius", "CPU temperature (OSHI), if present"),
    FAN_SPEED("eekbp_fan_speed_rpm", Type.GAUGE, "rpm", "Fan speeds (OSHI), if present", "fan"),
    PROBE_RTT("eekbp_probe_rtt_seconds", Type.HISTOGRAM, "seconds", "UDP echo round-trip time since start"),
    PROBE_RTT_QUANTILE("eekbp_probe_rtt_quantile_seconds", Type.GAUGE, "seconds",
            "UDP echo round-trip time quantiles over the last interval (HdrHistogram)", "quantile"),
    PROBE_SENT("eekbp_probe_sent_total", Type.COUNTER, "", "UDP echo probes sent"),
    PROBE_LOST("eekbp_probe_lost_total", Type.COUNTER, "", "UDP echo probes without a reply within the interval"),
    POLLING_THREADS("eekbp_polling_threads", Type.GAUGE, "",
            "Time-weighted number of threads polling over the last interval"),
    POWER_PER_POLLING_THREAD("eekbp_power_per_polling_thread_watts", Type.GAUGE, "watts",
            "Platform or package power divided by the time-weighted number of polling threads"),
    ENERGY_PER_PACKET("eekbp_energy_per_packet_joules", Type.GAUGE, "joules",
            "Energy over the last interval divided by packets the threads received in it"),
    BUILD_INFO("eekbp_build_info", Type.GAUGE, "", "Always 1; labels name the agent version, the kernel ABI it"
            + " speaks and the Java version", "version", "abi_version", "java_version"),
    CONFIG_INFO("eekbp_config_info", Type.GAUGE, "", "Always 1 while the module is loaded; labels name the mode in"
            + " effect (/sys/kernel/eekbp/mode)", "mode"),
    CONFIG_FREQ_CTL("eekbp_frequency_control", Type.GAUGE, "", "1 when frequency control is in effect in the"
            + " module (freq_ctl), 0 when off (not configured, or no userspace governor)"),
    CONFIGURED_FREQ_CTL("eekbp_config_frequency_control", Type.GAUGE, "", "1 when [frequency] control is on in"
            + " the agent's config; with eekbp_frequency_control 0 it did not take effect"),
    MODULE_ENABLED("eekbp_enabled", Type.GAUGE, "", "1 when the polling threads are enabled"
            + " (/sys/kernel/eekbp/enabled)"),
    LIVEPATCH_ENABLED("eekbp_livepatch_enabled", Type.GAUGE, "", "1 when eekbp_livepatch is loaded and enabled;"
            + " 0 means packets take the stock path (e.g. replaced by a cumulative livepatch)"),
    IRQ_AFFINITY_OVERRIDES("eekbp_irq_affinity_overrides_total", Type.COUNTER, "", "Times the agent found a"
            + " pinned IRQ's affinity changed by someone else (irqbalance) and set it again"),
    SERIES_DROPPED("eekbp_scrape_series_dropped_total", Type.COUNTER, "", "Series left out of scrapes because"
            + " their data was invalid (e.g. a duplicate CPU record in stats.bin)"),
    SAMPLES("eekbp_agent_samples_total", Type.COUNTER, "", "Telemetry samples taken"),
    SAMPLE_DURATION("eekbp_agent_sample_duration_seconds", Type.GAUGE, "seconds",
            "Wall time the last sample took");

    /** Prometheus metric type. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        public String exposition() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String name;
    private final Type type;
    private final String unit;
    private final String help;
    private final List<String> labels;

    Metric(String name, Type type, String unit, String help, String... labels) {
        this.name = name;
        this.type = type;
        this.unit = unit;
        this.help = help;
        this.labels = List.of(labels);
    }

    /** Name as exposed (counters end in _total). */
    public String exposedName() {
        return name;
    }

    /** Name without the _total suffix, as the client library wants it. */
    public String baseName() {
        return type == Type.COUNTER && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    }

    public Type type() {
        return type;
    }

    /** Unit suffix of the name, "" for plain counts and states. */
    public String unit() {
        return unit;
    }

    public String help() {
        return help;
    }

    public List<String> labels() {
        return labels;
    }
}
