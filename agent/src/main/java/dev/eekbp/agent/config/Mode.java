package dev.eekbp.agent.config;

import java.util.Optional;

/**
 * Receive mode of the kernel module; {@link #sysfsValue()} is what sysfs
 * reads and writes. A new kernel mode is one constant here (config parsing,
 * validation messages and the sysfs check follow from this list).
 */
public enum Mode {
    NAPI("napi"), KBP("kbp"), EEKBP("eekbp"), ADAPTIVE("adaptive");

    private final String sysfsValue;

    Mode(String sysfsValue) {
        this.sysfsValue = sysfsValue;
    }

    public String sysfsValue() {
        return sysfsValue;
    }

    public static Optional<Mode> parse(String s) {
        for (Mode m : values()) {
            if (m.sysfsValue.equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
