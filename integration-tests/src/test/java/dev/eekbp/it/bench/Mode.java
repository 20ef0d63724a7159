package dev.eekbp.it.bench;

/** The receive paths compared (the guest script's mode names). */
public enum Mode {
    NAPI("napi", "NAPI", false),
    THREADED("threaded", "threaded NAPI", false),
    KBP("kbp", "KBP", true),
    EEKBP("eekbp", "EE-KBP", true),
    EEKBP_FREQ("eekbp-freq", "EE-KBP+freq", true);

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
