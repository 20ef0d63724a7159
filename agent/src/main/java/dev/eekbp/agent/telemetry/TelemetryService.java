package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.config.TelemetryConfig;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.PowerSources;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry of the agent: samples every source at the configured interval
 * (power sources more often if a counter could otherwise wrap unseen) and
 * feeds the Prometheus endpoint, the JSON Lines file and snapshot().
 */
public final class TelemetryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

    private final TelemetryConfig config;
    private final TelemetryPaths paths;
    private final List<String> devices;
    private final List<PowerSource> injected;
    private SensorReader sensors = new OshiSensors();
    private java.util.function.LongSupplier irqOverrides;
    private Boolean configuredFreqCtl;
    private TelemetrySampler sampler;
    private ScheduledExecutorService timer;
    private HTTPServer http;
    private JsonLinesExporter jsonl;
    private long ticksPerSample;
    private long ticks;
    private final List<String> failed = new java.util.ArrayList<>();

    public TelemetryService(TelemetryConfig config) {
        this(config, TelemetryPaths.system(), List.of(), null);
    }

    /**
     * devices: NICs whose IRQs are counted (empty = all physical NICs);
     * powerSources: null to build them from the config, or given (tests).
     */
    public TelemetryService(TelemetryConfig config, TelemetryPaths paths, List<String> devices,
            List<PowerSource> powerSources) {
        this.config = config;
        this.paths = paths;
        this.devices = List.copyOf(devices);
        this.injected = powerSources;
    }

    /** Exports the config's frequency control as configured; call before start(). */
    public void useConfiguredFreqCtl(boolean on) {
        this.configuredFreqCtl = on;
    }

    /** Exports this count of re-asserted IRQ affinities; call before start(). */
    public void useIrqOverrides(java.util.function.LongSupplier count) {
        this.irqOverrides = count;
    }

    /** Replaces the OSHI sensors (tests); call before start(). */
    void useSensors(SensorReader s) {
        this.sensors = s;
    }

    /** Opens sources and exporters and takes the first sample. */
    public synchronized void start() throws IOException {
        if (sampler != null) {
            throw new IllegalStateException("telemetry already started");
        }
        List<PowerSource> power = injected != null ? injected : PowerSources.open(config.rapl(), config.ipmi());
        UdpProber prober = null;
        if (config.probeTarget().isPresent()) {
            InetSocketAddress t = config.probeTarget().get();
            prober = new UdpProber(t.isUnresolved() ? new InetSocketAddress(t.getHostString(), t.getPort()) : t,
                    config.probeInterval());
        }
        sampler = TelemetrySampler.open(paths, power, devices, prober, sensors);
        for (String u : sampler.unavailable()) {
            LOG.info("telemetry source unavailable: {}", u);
        }
        // each exporter fails alone: one that cannot start is logged, the other keeps running
        if (config.jsonl().isPresent()) {
            try {
                jsonl = new JsonLinesExporter(config.jsonl().get());
            } catch (IOException | RuntimeException e) {
                failed.add("JSON Lines file " + config.jsonl().get() + ": " + e);
                LOG.error("JSON Lines export off: cannot open {}: {} (under systemd use a path below"
                        + " /var/log/eekbp or /var/lib/eekbp)", config.jsonl().get(), e.toString());
            }
        }
        if (config.prometheus()) {
            InetSocketAddress l = config.prometheusListen();
            try {
                PrometheusRegistry registry = new PrometheusRegistry();
                registry.register(new PrometheusCollector(sampler, paths, irqOverrides)
                        .withConfiguredFreqCtl(configuredFreqCtl));
                http = HTTPServer.builder().hostname(l.getHostString()).port(l.getPort()).registry(registry)
                        .buildAndStart();
                LOG.info("Prometheus metrics on http://{}:{}/metrics", l.getHostString(), http.getPort());
            } catch (IOException | RuntimeException e) {
                failed.add("Prometheus endpoint " + l.getHostString() + ":" + l.getPort() + ": " + e);
                LOG.error("Prometheus export off: cannot listen on {}:{}: {}", l.getHostString(), l.getPort(),
                        e.toString());
            }
        }
        long intervalNanos = config.interval().toNanos();
        long tick = Math.min(intervalNanos, sampler.maxSafeIntervalNanos());
        ticksPerSample = Math.max(1, (intervalNanos + tick - 1) / tick);
        tick = intervalNanos / ticksPerSample; // power ticks divide the interval evenly
        sampler.sample(System.nanoTime(), System.currentTimeMillis());
        if (prober != null) {
            prober.start();
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("eekbp-telemetry").unstarted(r));
        timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            if (++ticks % ticksPerSample == 0) {
                sampler.sample(now, System.currentTimeMillis());
                if (jsonl != null) {
                    jsonl.write(TelemetrySnapshot.of(sampler));
                }
            } else {
                sampler.samplePower(now);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("telemetry sample failed: {}", e.toString());
        }
    }

    /** Exporters that could not start, with the reason. */
    public synchronized List<String> failedExporters() {
        return List.copyOf(failed);
    }

    /** Reopens the JSON Lines file (after logrotate); a failure is logged and export goes on to the old file. */
    public synchronized void reopenFiles() {
        if (jsonl != null) {
            try {
                jsonl.reopen();
                LOG.info("reopened {}", jsonl.path());
            } catch (IOException e) {
                LOG.error("cannot reopen {}: {}", jsonl.path(), e.toString());
            }
        }
    }

    /** The latest values (for `eekbp status`). */
    public TelemetrySnapshot snapshot() {
        TelemetrySampler s = sampler;
        if (s == null) {
            throw new IllegalStateException("telemetry not started");
        }
        return TelemetrySnapshot.of(s);
    }

    /** Port the Prometheus endpoint listens on (useful with port 0), or -1. */
    public int prometheusPort() {
        return http != null ? http.getPort() : -1;
    }

    /** Takes one full sample now (tests, `eekbp status --once`). */
    public void sampleNow() {
        sampler.sample(System.nanoTime(), System.currentTimeMillis());
        if (jsonl != null) {
            try {
                jsonl.write(TelemetrySnapshot.of(sampler));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        if (http != null) {
            http.close();
            http = null;
        }
        if (jsonl != null) {
            try {
                jsonl.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", jsonl.path(), e.toString());
            }
            jsonl = null;
        }
        if (sampler != null) {
            sampler.close();
            sampler = null;
        }
    }
}
