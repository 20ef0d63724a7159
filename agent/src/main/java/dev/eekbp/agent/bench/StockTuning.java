package dev.eekbp.agent.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The stock kernel's receive tuning a bench mode sets (the peers of `make
 * bench`): threaded NAPI per device, IRQ deferral per device
 * (napi_defer_hard_irqs, gro_flush_timeout in ns) and socket busy polling
 * (net.core.busy_read and busy_poll in us). Every mode sets all of them, so
 * each cell starts from the same baseline whatever the host had.
 */
public enum StockTuning {
    NONE(0, 0, 0, 0),
    THREADED(1, 0, 0, 0),
    THREADED_DEFER(1, 2, 20_000, 0),
    BUSY_READ(0, 0, 0, 50);

    /** A kernel file under the root ("sys/class/net/eth0/threaded") and the value to write. */
    public record Knob(String path, String value) {
    }

    private final int threaded;
    private final int deferHardIrqs;
    private final int groFlushNs;
    private final int busyUs;

    StockTuning(int threaded, int deferHardIrqs, int groFlushNs, int busyUs) {
        this.threaded = threaded;
        this.deferHardIrqs = deferHardIrqs;
        this.groFlushNs = groFlushNs;
        this.busyUs = busyUs;
    }

    /** Whether the mode runs threaded NAPI (its napi/DEV-N threads poll). */
    public boolean threaded() {
        return threaded == 1;
    }

    /** The knobs of {@code devices} and the two sysctls, in the order they are written. */
    public List<Knob> knobs(List<String> devices) {
        List<Knob> out = new ArrayList<>();
        for (String d : devices) {
            String dir = "sys/class/net/" + d + "/";
            out.add(new Knob(dir + "threaded", Integer.toString(threaded)));
            out.add(new Knob(dir + "napi_defer_hard_irqs", Integer.toString(deferHardIrqs)));
            out.add(new Knob(dir + "gro_flush_timeout", Integer.toString(groFlushNs)));
        }
        out.add(new Knob("proc/sys/net/core/busy_read", Integer.toString(busyUs)));
        out.add(new Knob("proc/sys/net/core/busy_poll", Integer.toString(busyUs)));
        return out;
    }
}
