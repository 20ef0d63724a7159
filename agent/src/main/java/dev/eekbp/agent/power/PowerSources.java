package dev.eekbp.agent.power;

import dev.eekbp.agent.power.ipmi.DcmiSource;
import dev.eekbp.agent.power.rapl.MsrSource;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.util.ArrayList;
import java.util.List;

/** Builds the power sources the [telemetry] rapl and ipmi settings ask for. */
public final class PowerSources {
    private PowerSources() {
    }

    /**
     * rapl: auto (powercap, else MSR) | powercap | msr | off; ipmi: auto | off
     * | a device path. Unavailable sources stay in the list so their reason
     * can be reported.
     */
    public static List<PowerSource> open(String rapl, String ipmi) {
        List<PowerSource> out = new ArrayList<>();
        switch (rapl) {
            case "off" -> { }
            case "powercap" -> out.add(new PowercapSource());
            case "msr" -> out.add(new MsrSource());
            case "auto" -> {
                PowercapSource pc = new PowercapSource();
                if (pc.availability().available()) {
                    out.add(pc);
                } else {
                    MsrSource msr = new MsrSource();
                    pc.close();
                    if (msr.availability().available()) {
                        out.add(msr);
                    } else {
                        msr.close();
                        out.add(new UnavailableSource("rapl", pc.availability().reason() + "; MSR fallback: "
                                + msr.availability().reason()));
                    }
                }
            }
            default -> throw new IllegalArgumentException(
                    "telemetry.rapl must be auto, powercap, msr or off, not \"" + rapl + "\"");
        }
        if (!ipmi.equals("off")) {
            out.add(DcmiSource.open(ipmi));
        }
        return out;
    }
}
