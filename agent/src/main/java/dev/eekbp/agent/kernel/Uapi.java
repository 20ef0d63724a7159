package dev.eekbp.agent.kernel;

/**
 * Java mirror of native-headers/eekbp_uapi.h (a unit test parses the header
 * and compares). Paths are relative to the sysfs root.
 */
public final class Uapi {
    public static final int ABI_VERSION = 1;
    public static final String MODULE_NAME = "eekbp";
    public static final String LIVEPATCH_NAME = "eekbp_livepatch";
    public static final String LIVEPATCH_DIR = "/sys/kernel/livepatch/eekbp_livepatch";
    public static final String SYSFS_DIR = "/sys/kernel/eekbp";

    public static final String ATTR_ABI_VERSION = "abi_version";
    public static final String ATTR_MODE = "mode";
    public static final String ATTR_CPUS = "cpus";
    public static final String ATTR_DEVICES = "devices";
    public static final String ATTR_QUOTA = "quota";
    public static final String ATTR_FREQ_CTL = "freq_ctl";
    public static final String ATTR_FREQ_MIN_KHZ = "freq_min_khz";
    public static final String ATTR_FREQ_MAX_KHZ = "freq_max_khz";
    public static final String ATTR_ENABLED = "enabled";
    public static final String ATTR_SCHED = "sched";
    public static final String ATTR_SPIN_MAX_US = "spin_max_us";
    public static final String ATTR_FREQ_MAX_RATE = "freq_max_rate";
    public static final String ATTR_STATS = "stats";
    public static final String ATTR_STATS_BIN = "stats.bin";

    public static final String MODE_NAPI = "napi";
    public static final String MODE_KBP = "kbp";
    public static final String MODE_EEKBP = "eekbp";
    public static final String MODE_ADAPTIVE = "adaptive";

    public static final String SCHED_OTHER = "other";
    public static final String SCHED_FIFO_PREFIX = "fifo:";
    public static final int SCHED_PRIO_MIN = 1;
    public static final int SCHED_PRIO_MAX = 99;
    public static final int SPIN_MAX_US_MAX = 1000;
    public static final int SPIN_MAX_US_DEFAULT = 50;
    public static final int FREQ_MAX_RATE_MAX = 100000;
    public static final int FREQ_MAX_RATE_DEFAULT = 100;

    public static final int QUOTA_MIN = 1;
    public static final int QUOTA_MAX = 1024;
    public static final int QUOTA_DEFAULT = 64;

    public static final int STATS_MAGIC = 0x50424b45;
    public static final int HIST_BUCKETS = 32;
    public static final int STATS_HEADER_SIZE = 16;
    public static final int CPU_STATS_SIZE = 8 + 9 * 8 + 2 * HIST_BUCKETS * 8;

    private Uapi() {
    }

    /** sysfs path of an attribute of the eekbp module, relative to the sysfs root. */
    public static String attr(String name) {
        return SYSFS_DIR.substring(1) + "/" + name;
    }
}
