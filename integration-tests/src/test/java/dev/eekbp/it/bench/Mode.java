package dev.eekbp.it.bench;

/**
 * The receive paths compared (the guest script's mode names). The default
 * matrix is the paper's; the stock kernel's best tuning (threaded NAPI with
 * napi_defer_hard_irqs=2 and gro_flush_timeout=20000, NAPI with
 * net.core.busy_read=50) and eekbp's adaptive mode are selectable peers
 * (BENCH_MODES) until a reference run includes them.
 */
public enum Mode {
    NAPI("napi", "NAPI", false),
    THREADED("threaded", "threaded NAPI", false),
    KBP("kbp", "KBP", true),
    EEKBP("eekbp", "EE-KBP", true),
    EEKBP_FREQ("eekbp-freq", "EE-KBP+freq", true),
    THREADED_DEFER("threaded-defer", "threaded NAPI+defer", false),
    BUSY_READ("busy-read", "NAPI+busy_read", false),
    ADAPTIVE("adaptive", "adaptive", true),
    ADAPTIVE_FREQ("adaptive-freq", "adaptive+freq", true);

    /** The paper's modes: what make bench runs unless BENCH_MODES says otherwise. */
    public static final java.util.List<Mode> PAPER = java.util.List.of(NAPI, THREADED, KBP, EEKBP, EEKBP_FREQ);

    private final String id;
    private final String label;
    private final boolean module;

    Mode(String id, String label, boolean module) {
        this.id = id;
        this.label = label;
        this.module = module;
    }

    /** Name used by the guest script, JSON and CSV. */
    public String id() {
        return id;
    }

    /** Name used in tables and charts. */
    public String label() {
        return label;
    }

    /** True when the eekbp module and livepatch are loaded in this mode. */
    public boolean usesModule() {
        return module;
    }

    public static Mode byId(String id) {
        for (Mode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + id + "'");
    }
}
