package dev.eekbp.agent.service;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.ffi.Posix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `eekbp run`: start, tell systemd READY, then poll for config changes, the
 * livepatch's health and the watchdog until {@link #requestStop} (SIGTERM,
 * SIGINT), which stops everything cleanly. A stop during start cuts the start
 * short and undoes it.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final long POLL_MS = 200;
    /** Polls between checks of the pinned IRQs' affinity (about 5 s). */
    private static final int IRQ_CHECK_POLLS = 25;

    private final Agent agent;
    private final ConfigLoader loader;
    private final Path configFile;
    private final Notifier notifier;
    private final TelemetryHook.Factory telemetryFactory;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile Thread mainThread;
    private volatile boolean reopen;
    private TelemetryHook telemetry;
    private LoadedConfig running;
    private Optional<String> unhealthy = Optional.empty();

    public Daemon(Agent agent, ConfigLoader loader, Path configFile, Notifier notifier,
            TelemetryHook.Factory telemetryFactory) {
        this.agent = agent;
        this.loader = loader;
        this.configFile = configFile;
        this.notifier = notifier;
        this.telemetryFactory = telemetryFactory;
    }

    /** Asks the daemon to stop (any thread, e.g. a signal handler); a start in progress is cut short. */
    public void requestStop() {
        stopRequested = true;
        agent.abortStart();
        Thread t = mainThread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs until stopped; returns the problems of the stop (empty after a clean stop). */
    public List<String> run() throws Exception {
        long t0 = System.nanoTime();
        // installed before start: a JVM exit during start still undoes it
        Thread hook = new Thread(this::shutdownFromHook, "eekbp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return serve(t0);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) already
            }
        }
    }

    private List<String> serve(long t0) throws Exception {
        LoadedConfig lc = loader.load(configFile);
        ConfigWatcher watcher = new ConfigWatcher(configFile);
        if (Posix.onSighup(() -> {
            reopen = true;
            watcher.request();
        })) {
            LOG.warn("SIGHUP was inherited as ignored (started under nohup?); handling it anyway");
        }
        try {
            agent.start(lc);
        } catch (Exception e) {
            if (stopRequested) {
                LOG.info("stop requested during start: start undone");
                stopped.set(true);
                return List.of();
            }
            throw e;
        }
        running = lc;
        mainThread = Thread.currentThread(); // from now on a stop may interrupt the poll sleep
        if (stopRequested) {
            return shutdown();
        }
        String status = describe(lc);
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info("ready in {} ms ({} ms since JVM start): {}", readyMs, jvmMs, status);
        notifier.ready(status);
        // telemetry is not needed to serve packets: start it after READY
        startTelemetry(lc.config());
        long nextPing = 0;
        long pingNanos = notifier.watchdogInterval().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        int polls = 0;
        while (!stopRequested) {
            if (++polls % IRQ_CHECK_POLLS == 0) {
                agent.reassertIrqAffinity();
            }
            if (reopen) {
                reopen = false;
                telemetry.reopen();
            }
            if (watcher.changed()) {
                reload();
            }
            checkHealth();
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
        Thread.interrupted(); // a stop request may have interrupted us; the stop itself must wait
        return shutdown();
    }

    private void startTelemetry(Config c) {
        telemetry = telemetryFactory.create(c);
        try {
            telemetry.start();
        } catch (Exception e) {
            LOG.warn("telemetry not started: {}", e.getMessage());
        }
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
        } catch (Exception e) {
            LOG.error("reload failed, running configuration kept: {}", e.getMessage());
            notifier.status("reload failed: " + e.getMessage());
            return;
        }
        Config old = running.config();
        running = next;
        if (!old.telemetry().equals(next.config().telemetry())
                || !old.kernel().devices().equals(next.config().kernel().devices())) {
            LOG.info("[telemetry] or devices changed: restarting telemetry");
            telemetry.close();
            startTelemetry(next.config());
        }
        String s = describe(next);
        LOG.info("reloaded in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, s);
        notifier.status(s);
    }

    /** Logs once when the livepatch stops being enabled (e.g. replaced by a cumulative patch) or recovers. */
    private void checkHealth() {
        Optional<String> now = agent.livepatchProblem();
        if (!now.equals(unhealthy)) {
            unhealthy = now;
            if (now.isPresent()) {
                LOG.error("unhealthy: {}", now.get());
                notifier.status("unhealthy: " + now.get());
            } else {
                LOG.info("livepatch {} enabled again", dev.eekbp.agent.kernel.Uapi.LIVEPATCH_NAME);
                notifier.status(describe(running));
            }
        }
    }

    private void shutdownFromHook() {
        agent.abortStart();
        shutdown();
    }

    private List<String> shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return List.of();
        }
        stopRequested = true;
        notifier.stopping("stopping: restoring CPUs and unloading modules");
        if (telemetry != null) {
            telemetry.close();
        }
        List<String> problems = agent.stop();
        problems.forEach(p -> LOG.error("stop: {}", p));
        LOG.info(problems.isEmpty() ? "stopped cleanly" : "stopped with problems");
        notifier.close();
        return problems;
    }
}
