package dev.eekbp.agent.service;

import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.ffi.Posix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `eekbp run`: start, tell systemd READY, then poll for config changes and
 * feed the watchdog until SIGTERM/SIGINT, which stops everything cleanly.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final long POLL_MS = 200;

    private final Agent agent;
    private final ConfigLoader loader;
    private final Path configFile;
    private final Notifier notifier;
    private final TelemetryHook.Factory telemetryFactory;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile TelemetryHook telemetry;

    public Daemon(Agent agent, ConfigLoader loader, Path configFile, Notifier notifier,
            TelemetryHook.Factory telemetryFactory) {
        this.agent = agent;
        this.loader = loader;
        this.configFile = configFile;
        this.notifier = notifier;
        this.telemetryFactory = telemetryFactory;
    }

    /** Runs until stopped; returns normally after a clean stop. */
    public void run() throws Exception {
        long t0 = System.nanoTime();
        LoadedConfig lc = loader.load(configFile);
        ConfigWatcher watcher = new ConfigWatcher(configFile);
        agent.start(lc);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "eekbp-shutdown"));
        if (Posix.onSighup(watcher::request)) {
            LOG.warn("SIGHUP was inherited as ignored (started under nohup?); handling it anyway");
        }
        String status = describe(lc);
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info("ready in {} ms ({} ms since JVM start): {}", readyMs, jvmMs, status);
        notifier.ready(status);
        // telemetry is not needed to serve packets: start it after READY
        telemetry = telemetryFactory.create(lc.config());
        try {
            telemetry.start();
        } catch (Exception e) {
            LOG.warn("telemetry not started: {}", e.getMessage());
        }
        long nextPing = 0;
        long pingNanos = notifier.watchdogInterval().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        while (!stopRequested) {
            if (watcher.changed()) {
                reload();
            }
            long now = System.nanoTime();
            if (pingNanos != Long.MAX_VALUE && now - nextPing >= 0) {
                notifier.watchdog();
                nextPing = now + pingNanos;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                break;
            }
        }
        stopped.await(2, TimeUnit.MINUTES);
    }

    private String describe(LoadedConfig lc) {
        var k = lc.config().kernel();
        return "mode " + k.mode().sysfsValue() + " on CPUs " + k.cpus() + ", devices "
                + (k.devices().isEmpty() ? "all" : String.join(",", k.devices())) + ", frequency control "
                + (lc.config().frequency().control() && agent.freqSupport().usable() ? "on" : "off")
                + (agent.adopted() ? " (adopted running module)" : "");
    }

    private void reload() {
        long t0 = System.nanoTime();
        LoadedConfig next;
        try {
            next = loader.load(configFile);
        } catch (ConfigException e) {
            LOG.error("config change rejected, keeping the running configuration:\n{}", e.getMessage());
            notifier.status("config rejected: " + e.errors().get(0));
            return;
        }
        try {
            agent.reload(next);
            String s = describe(next);
            LOG.info("reloaded in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, s);
            notifier.status(s);
        } catch (Exception e) {
            LOG.error("reload failed, running configuration kept: {}", e.getMessage());
            notifier.status("reload failed: " + e.getMessage());
        }
    }

    private void shutdown() {
        stopRequested = true;
        notifier.stopping("stopping: restoring CPUs and unloading modules");
        if (telemetry != null) {
            telemetry.close();
        }
        List<String> problems = agent.stop();
        problems.forEach(p -> LOG.error("stop: {}", p));
        LOG.info(problems.isEmpty() ? "stopped cleanly" : "stopped with problems");
        notifier.close();
        stopped.countDown();
    }
}
