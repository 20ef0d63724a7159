package dev.eekbp.agent.service;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.TelemetryConfig;
import dev.eekbp.agent.telemetry.TelemetryPaths;
import dev.eekbp.agent.telemetry.TelemetryService;
import dev.eekbp.agent.telemetry.TelemetrySnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs the telemetry package's TelemetryService as the daemon's telemetry hook. */
public final class TelemetryAdapter implements TelemetryHook {
    private final TelemetryService service;

    private TelemetryAdapter(TelemetryService service) {
        this.service = service;
    }

    /** Factory for sysfs root {@code root} ("/" = the real system), exporting the agent's IRQ re-pins. */
    public static Factory factory(Path root, java.util.function.LongSupplier irqOverrides) {
        return c -> {
            TelemetryService s = create(c, c.telemetry(), root);
            s.useIrqOverrides(irqOverrides);
            s.useConfiguredFreqCtl(c.frequency().control());
            return new TelemetryAdapter(s);
        };
    }

    private static TelemetryService create(Config c, TelemetryConfig t, Path root) {
        boolean real = root.toAbsolutePath().normalize().equals(Path.of("/"));
        return new TelemetryService(t, real ? TelemetryPaths.system() : TelemetryPaths.under(root),
                c.kernel().devices(), null);
    }

    /**
     * One-shot telemetry for `eekbp status --telemetry`: no exporters, two
     * samples {@code interval} apart so rates are known.
     */
    public static List<String> once(Config c, Path root) throws Exception {
        TelemetryConfig t = c.telemetry();
        TelemetryConfig quiet = new TelemetryConfig(t.interval(), false, t.prometheusListen(),
                java.util.Optional.empty(), t.rapl(), t.ipmi(), java.util.Optional.empty(), t.probeInterval());
        try (TelemetryService s = create(c, quiet, root)) {
            s.start();
            Thread.sleep(t.interval().toMillis());
            s.sampleNow();
            return lines(s.snapshot());
        }
    }

    @Override
    public void start() throws Exception {
        service.start();
    }

    @Override
    public List<String> snapshot() {
        return lines(service.snapshot());
    }

    static List<String> lines(TelemetrySnapshot s) {
        List<String> out = new ArrayList<>();
        out.add("telemetry: power " + known(s.powerWatts(), "%.2f W") + ", polling threads "
                + known(s.pollingThreads(), "%.2f") + ", " + known(s.wattsPerPollingThread(), "%.2f W") + "/thread, "
                + known(s.joulesPerPacket(), "%.3g J") + "/packet");
        for (TelemetrySnapshot.PowerDomain d : s.power()) {
            out.add("telemetry: power source " + d.source() + (d.domain().isEmpty() ? "" : "/" + d.domain())
                    + (d.available() ? " " + d.power() : " unavailable: " + d.reason()));
        }
        s.kernel().ifPresent(k -> out.add("telemetry: kernel threads " + k.threads() + ", polling " + k.polling()
                + ", packets " + k.packets() + ", polls " + k.polls() + ", empty " + k.emptyPolls() + ", sleeps "
                + k.sleeps() + ", irq wakes " + k.irqWakes() + ", freq up/down " + k.freqUp() + "/"
                + k.freqDown()));
        s.probe().ifPresent(p -> out.add(String.format(Locale.ROOT,
                "telemetry: probe sent %d lost %d p50 %.1f us p99 %.1f us max %.1f us", p.sent(), p.lost(),
                p.p50Seconds() * 1e6, p.p99Seconds() * 1e6, p.maxSeconds() * 1e6)));
        List<String> sources = s.power().stream().map(d -> d.source() + ":").toList();
        s.unavailable().stream().filter(u -> sources.stream().noneMatch(u::startsWith))
                .forEach(u -> out.add("telemetry: unavailable " + u)); // power sources are listed above
        return out;
    }

    /** A value with its format, or "unknown" for NaN (no power source, no packets...). */
    private static String known(double v, String format) {
        return Double.isNaN(v) ? "unknown" : String.format(Locale.ROOT, format, v);
    }

    @Override
    public void reopen() {
        service.reopenFiles();
    }

    @Override
    public void close() {
        service.close();
    }
}
