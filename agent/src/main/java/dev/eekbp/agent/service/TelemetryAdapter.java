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

    /** Factory for sysfs root {@code root} ("/" = the real system). */
    public static Factory factory(Path root) {
        return c -> new TelemetryAdapter(create(c, c.telemetry(), root));
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
        out.add(String.format(Locale.ROOT, "telemetry: power %.2f W, polling threads %.2f, %.2f W/thread,"
                + " %.3g J/packet", s.powerWatts(), s.pollingThreads(), s.wattsPerPollingThread(),
                s.joulesPerPacket()));
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
        s.unavailable().forEach(u -> out.add("telemetry: unavailable " + u));
        return out;
    }

    @Override
    public void close() {
        service.close();
    }
}
