package dev.eekbp.agent;

/** The agent's version, shared by `eekbp version` and the eekbp_build_info metric. */
public final class Version {
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private Version() {
    }
}
