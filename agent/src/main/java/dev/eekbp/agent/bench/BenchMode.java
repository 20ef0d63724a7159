package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.FrequencyConfig;
import dev.eekbp.agent.config.KernelConfig;
import dev.eekbp.agent.config.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A receive mode the bench compares, the peers of `make bench`: stock NAPI
 * (modules unloaded) alone or with the kernel's own tuning (threaded NAPI,
 * IRQ deferral, busy polling), or the module in kbp / eekbp / adaptive
 * mode, the latter two with or without frequency control. {@link #stock()}
 * says which kernel knobs the mode sets for its cell.
 */
public enum BenchMode {
    NAPI("napi", null, false, StockTuning.NONE),
    THREADED("threaded", null, false, StockTuning.THREADED),
    THREADED_DEFER("threaded-defer", null, false, StockTuning.THREADED_DEFER),
    BUSY_READ("busy-read", null, false, StockTuning.BUSY_READ),
    KBP("kbp", Mode.KBP, false, StockTuning.NONE),
    EEKBP("eekbp", Mode.EEKBP, false, StockTuning.NONE),
    EEKBP_FREQ("eekbp-freq", Mode.EEKBP, true, StockTuning.NONE),
    ADAPTIVE("adaptive", Mode.ADAPTIVE, false, StockTuning.NONE),
    ADAPTIVE_FREQ("adaptive-freq", Mode.ADAPTIVE, true, StockTuning.NONE);

    private final String label;
    private final Mode kernelMode;
    private final boolean freq;
    private final StockTuning stock;

    BenchMode(String label, Mode kernelMode, boolean freq, StockTuning stock) {
        this.label = label;
        this.kernelMode = kernelMode;
        this.freq = freq;
        this.stock = stock;
    }

    /** The kernel's own knobs in this mode (all off for plain NAPI and the module modes). */
    public StockTuning stock() {
        return stock;
    }

    public String label() {
        return label;
    }

    /** The module's mode, or empty for stock NAPI (nothing loaded). */
    public Optional<Mode> kernelMode() {
        return Optional.ofNullable(kernelMode);
    }

    public boolean frequencyControl() {
        return freq;
    }

    /** {@code base} with this mode and frequency-control setting; CPUs, devices and the rest kept. */
    public Config applyTo(Config base) {
        if (kernelMode == null) {
            throw new IllegalStateException("stock NAPI runs without the module");
        }
        KernelConfig k = base.kernel();
        FrequencyConfig f = base.frequency();
        return new Config(k.withMode(kernelMode), f.withControl(freq), base.placement(), base.telemetry());
    }

    /** "napi,eekbp" -> [NAPI, EEKBP]; unknown, empty or repeated names are an IllegalArgumentException. */
    public static List<BenchMode> parseList(String csv) {
        List<BenchMode> out = new ArrayList<>();
        for (String raw : csv.split(",", -1)) {
            String name = raw.strip();
            BenchMode m = Arrays.stream(values()).filter(v -> v.label.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mode '" + name + "' in --modes;"
                            + " choose from " + allLabels()));
            if (out.contains(m)) {
                throw new IllegalArgumentException("mode '" + name + "' is listed twice in --modes");
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    public static String allLabels() {
        return Arrays.stream(values()).map(BenchMode::label).collect(Collectors.joining(","));
    }
}
