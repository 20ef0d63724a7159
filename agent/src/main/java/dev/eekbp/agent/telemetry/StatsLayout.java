package dev.eekbp.agent.telemetry;

/** Mirror of the stats.bin layout in native-headers/eekbp_uapi.h (ABI 1). */
public final class StatsLayout {
    public static final String STATS_BIN = "/sys/kernel/eekbp/stats.bin";
    public static final int MAGIC = 0x50424b45;
    public static final int ABI_VERSION = 1;
    public static final int HEADER_SIZE = 16;
    public static final int HIST_BUCKETS = 32;
    public static final int COUNTERS = 9;
    /** u32 cpu, u32 state, 9 x u64 counters, 2 x 32 x u64 histograms. */
    public static final int RECORD_SIZE = 8 + COUNTERS * 8 + 2 * HIST_BUCKETS * 8;
    public static final int STATE_SLEEPING = 0;
    public static final int STATE_POLLING = 1;

    /** Counter indexes, in record order after cpu and state. */
    public static final int PACKETS = 0;
    public static final int POLLS = 1;
    public static final int EMPTY_POLLS = 2;
    public static final int SLEEPS = 3;
    public static final int IRQ_WAKES = 4;
    public static final int FREQ_UP = 5;
    public static final int FREQ_DOWN = 6;
    public static final int BUSY_NS = 7;
    public static final int SLEEP_NS = 8;

    /** Names of the counters as the C struct spells them. */
    public static final String[] COUNTER_NAMES = {
        "packets", "polls", "empty_polls", "sleeps", "irq_wakes", "freq_up", "freq_down", "busy_ns", "sleep_ns",
    };

    /**
     * Counters appended after the histograms (still ABI 1: a record of
     * RECORD_SIZE + EXT_COUNTERS * 8 bytes or more holds them, a shorter one
     * comes from an older module and reads as 0). Indexes follow COUNTERS.
     */
    public static final String[] EXT_COUNTER_NAMES = {
        "freq_fail", "freq_skipped", "budget_breaks", "rps_ipis", "defer_flushes", "stock_kicks",
        "spin_windows", "spin_catches", "spin_expired", "freq_held", "nap_wakes",
    };
    public static final int EXT_COUNTERS = EXT_COUNTER_NAMES.length;
    public static final int ALL_COUNTERS = COUNTERS + EXT_COUNTERS;
    public static final int EXT_RECORD_SIZE = RECORD_SIZE + EXT_COUNTERS * 8;

    private StatsLayout() {
    }

    /** Upper bound of log2 slot s in ns: slot 0 holds 0, slot s holds [2^(s-1), 2^s). */
    public static double slotUpperSeconds(int slot) {
        return slot == 0 ? 0 : Math.scalb(1.0, slot) / 1e9;
    }
}
