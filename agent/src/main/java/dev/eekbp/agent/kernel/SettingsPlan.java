package dev.eekbp.agent.kernel;

import dev.eekbp.agent.config.Config;
import java.util.ArrayList;
import java.util.List;

/** Turns a config into the module's sysfs values, in the order they must be written. */
public final class SettingsPlan {
    private SettingsPlan() {
    }

    /**
     * Values for /sys/kernel/eekbp (without {@code enabled}). {@code freqCtl} is
     * what the agent can honour (false when the userspace governor is missing).
     */
    public static List<Setting> of(Config c, boolean freqCtl) {
        List<Setting> s = new ArrayList<>();
        s.add(new Setting(Uapi.ATTR_MODE, c.kernel().mode().sysfsValue()));
        s.add(new Setting(Uapi.ATTR_CPUS, c.kernel().cpus().toString()));
        s.add(new Setting(Uapi.ATTR_DEVICES, String.join(",", c.kernel().devices())));
        s.add(new Setting(Uapi.ATTR_QUOTA, Integer.toString(c.kernel().quota())));
        s.add(new Setting(Uapi.ATTR_SCHED, c.kernel().sched()));
        s.add(new Setting(Uapi.ATTR_SPIN_MAX_US, Integer.toString(c.kernel().spinMaxUs())));
        s.add(new Setting(Uapi.ATTR_FREQ_MAX_RATE, Integer.toString(c.frequency().maxRate())));
        s.add(new Setting(Uapi.ATTR_FREQ_MIN_KHZ, Long.toString(c.frequency().minKhz())));
        s.add(new Setting(Uapi.ATTR_FREQ_MAX_KHZ, Long.toString(c.frequency().maxKhz())));
        s.add(new Setting(Uapi.ATTR_FREQ_CTL, freqCtl ? "1" : "0"));
        return s;
    }

    /** Module parameters for finit_module (the initial config; the same names as sysfs). */
    public static String moduleParams(Config c, boolean freqCtl) {
        return "mode=" + c.kernel().mode().sysfsValue() + " cpus=" + c.kernel().cpus() + " quota="
                + c.kernel().quota() + " freq_ctl=" + (freqCtl ? 1 : 0);
    }
}
