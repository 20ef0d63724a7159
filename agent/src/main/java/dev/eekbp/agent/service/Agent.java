package dev.eekbp.agent.service;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.CpuException;
import dev.eekbp.agent.cpu.FreqSupport;
import dev.eekbp.agent.cpu.Governors;
import dev.eekbp.agent.cpu.IrqAffinity;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.cpu.ResumeLatency;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.Change;
import dev.eekbp.agent.kernel.KernelControl;
import dev.eekbp.agent.kernel.KernelException;
import dev.eekbp.agent.kernel.Livepatch;
import dev.eekbp.agent.kernel.ModuleLoader;
import dev.eekbp.agent.kernel.SettingsPlan;
import dev.eekbp.agent.kernel.Uapi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's lifecycle: start (CPU setup, module load or adoption, sysfs
 * configuration, livepatch), reload of a new config without restart, and
 * stop (disable, unpatch, unload, restore). Methods are synchronized: the
 * config watcher and the shutdown hook may call in from different threads.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final Duration TRANSITION_TIMEOUT = Duration.ofSeconds(60);

    private final SysfsTree fs;
    private final StateFile stateFile;
    private final Governors governors;
    private final IrqAffinity irqs;
    private final ResumeLatency latency;
    private final KernelControl kernel;

    private RestoreState state = new RestoreState();
    private LoadedConfig current;
    private FreqSupport freqSupport = FreqSupport.unusable("none", "not checked");
    private boolean adopted;

    public Agent(SysfsTree fs, StateFile stateFile, ModuleProbe probe) {
        this.fs = fs;
        this.stateFile = stateFile;
        this.governors = new Governors(fs, probe);
        this.irqs = new IrqAffinity(fs);
        this.latency = new ResumeLatency(fs);
        this.kernel = new KernelControl(fs);
    }

    public synchronized Optional<LoadedConfig> config() {
        return Optional.ofNullable(current);
    }

    /** True when the running module was found loaded at start (after a crash or a manual load). */
    public synchronized boolean adopted() {
        return adopted;
    }

    public synchronized FreqSupport freqSupport() {
        return freqSupport;
    }

    private ModuleLoader loader(Config c) {
        return new ModuleLoader(fs, c.kernel().moduleDir());
    }

    /** Brings EE-KBP up as configured; on failure undoes what it did and rethrows. */
    public synchronized void start(LoadedConfig lc) throws ConfigException, KernelException, CpuException,
            IOException {
        EnvironmentCheck.check(lc, fs);
        Config c = lc.config();
        state = stateFile.read().orElseGet(RestoreState::new);
        if (!state.isEmpty()) {
            LOG.info("found restore data of a previous run (pid {}) in {}; reusing it", state.pid(),
                    stateFile.path());
        }
        state.pid(ProcessHandle.current().pid());
        ModuleLoader loader = loader(c);
        adopted = loader.isLoaded(Uapi.MODULE_NAME);
        if (!adopted) {
            loader.find(Uapi.MODULE_NAME); // fail before touching any CPU setting
            loader.find(Uapi.LIVEPATCH_NAME);
        }
        try {
            boolean freqCtl = setUpCpus(c);
            ModuleLoader.Outcome o = loader.load(Uapi.MODULE_NAME, SettingsPlan.moduleParams(c, freqCtl));
            if (o == ModuleLoader.Outcome.LOADED) {
                state.loadedModules(true);
                save();
            }
            LOG.info("module {} {}", Uapi.MODULE_NAME, o == ModuleLoader.Outcome.LOADED ? "loaded" : "adopted");
            kernel.checkAbi();
            List<Change> changes = kernel.diff(SettingsPlan.of(c, freqCtl));
            kernel.apply(changes);
            changes.forEach(ch -> LOG.info("set {}", ch));
            ModuleLoader.Outcome lp = new Livepatch(fs, loader).enable(TRANSITION_TIMEOUT);
            LOG.info("livepatch {} {}", Uapi.LIVEPATCH_NAME, lp == ModuleLoader.Outcome.LOADED ? "loaded"
                    : "adopted");
            kernel.setEnabled(true);
            current = lc;
        } catch (KernelException | CpuException | IOException | RuntimeException e) {
            LOG.error("start failed, undoing: {}", e.getMessage());
            List<String> problems = teardown(c, !adopted);
            problems.forEach(p -> LOG.error("while undoing: {}", p));
            throw e;
        }
    }

    /** Governors, IRQ affinity and C-state caps; returns whether frequency control can be on. */
    private boolean setUpCpus(Config c) throws CpuException, IOException {
        CpuList cpus = c.kernel().cpus();
        boolean freqCtl = false;
        if (c.frequency().control()) {
            freqSupport = governors.check(cpus);
            if (freqSupport.usable()) {
                RestoreState.keepOldest(state.governors(), governors.switchToUserspace(cpus));
                save();
                freqCtl = true;
            } else {
                LOG.warn("{}", freqSupport.problem().orElse(""));
            }
        }
        if (c.placement().irqAffinity()) {
            List<String> skipped = new ArrayList<>();
            RestoreState.keepOldest(state.irqAffinity(), irqs.pin(c.kernel().devices(), cpus, skipped));
            skipped.forEach(s -> LOG.warn("IRQ affinity not changed for {}", s));
            save();
        }
        if (c.placement().resumeLatencyUs() >= 0) {
            RestoreState.keepOldest(state.resumeLatency(), latency.set(cpus, c.placement().resumeLatencyUs()));
            save();
        }
        return freqCtl;
    }

    private void save() throws IOException {
        stateFile.write(state);
    }

    /**
     * Applies a new config to the running system. On any failure the running
     * configuration stays as it was and the exception says why.
     */
    public synchronized void reload(LoadedConfig next) throws ConfigException, KernelException, CpuException,
            IOException {
        if (current == null) {
            throw new IllegalStateException("reload before start");
        }
        EnvironmentCheck.check(next, fs);
        Config old = current.config();
        Config c = next.config();
        CpuList cpus = c.kernel().cpus();
        // 1. governors first where frequency control is (still) wanted
        Map<Integer, String> newlySwitched = new LinkedHashMap<>();
        boolean freqCtl = false;
        if (c.frequency().control()) {
            freqSupport = governors.check(cpus);
            if (freqSupport.usable()) {
                newlySwitched = governors.switchToUserspace(cpus);
                RestoreState.keepOldest(state.governors(), newlySwitched);
                save();
                freqCtl = true;
            } else {
                LOG.warn("{}", freqSupport.problem().orElse(""));
            }
        }
        // 2. the module, all or nothing
        try {
            List<Change> changes = kernel.diff(SettingsPlan.of(c, freqCtl));
            kernel.apply(changes);
            changes.forEach(ch -> LOG.info("reload: set {}", ch));
        } catch (KernelException e) {
            governors.restore(newlySwitched);
            newlySwitched.keySet().forEach(state.governors()::remove);
            save();
            throw e;
        }
        // 3. governors of CPUs that no longer need userspace go back
        Map<Integer, String> release = new LinkedHashMap<>();
        final boolean ctl = freqCtl;
        state.governors().forEach((cpu, gov) -> {
            if (!ctl || !cpus.contains(cpu)) {
                release.put(cpu, gov);
            }
        });
        governors.restore(release).forEach(cpu -> LOG.warn("could not restore governor of CPU {}", cpu));
        release.keySet().forEach(state.governors()::remove);
        // 4. placement: redo when it or the served set changed
        if (!old.placement().equals(c.placement()) || !old.kernel().cpus().equals(cpus)
                || !old.kernel().devices().equals(c.kernel().devices())) {
            irqs.restore(state.irqAffinity());
            state.irqAffinity().clear();
            latency.restore(state.resumeLatency());
            state.resumeLatency().clear();
            if (c.placement().irqAffinity()) {
                List<String> skipped = new ArrayList<>();
                state.irqAffinity().putAll(irqs.pin(c.kernel().devices(), cpus, skipped));
                skipped.forEach(s -> LOG.warn("IRQ affinity not changed for {}", s));
            }
            if (c.placement().resumeLatencyUs() >= 0) {
                state.resumeLatency().putAll(latency.set(cpus, c.placement().resumeLatencyUs()));
            }
        }
        save();
        current = next;
    }

    /** Full stop: disable, unpatch, unload, restore CPUs, delete the state file. */
    public synchronized List<String> stop() {
        Config c = current != null ? current.config() : Config.defaults();
        List<String> problems = teardown(c, true);
        current = null;
        return problems;
    }

    /**
     * `eekbp unload` without a running daemon: uses the saved restore data.
     * {@code moduleDir} only matters for finding files, not for unloading.
     */
    public synchronized List<String> unloadWithSavedState(Config c) throws IOException {
        state = stateFile.read().orElseGet(RestoreState::new);
        return teardown(c, true);
    }

    /** Undo everything; with {@code unloadModules} false the kernel side is left as it is. */
    private List<String> teardown(Config c, boolean unloadModules) {
        List<String> problems = new ArrayList<>();
        ModuleLoader loader = loader(c);
        if (unloadModules && kernel.present()) {
            try {
                kernel.setEnabled(false);
            } catch (KernelException e) {
                problems.add(e.getMessage());
            }
        }
        if (unloadModules) {
            try {
                Livepatch lp = new Livepatch(fs, loader);
                if (lp.present() || loader.isLoaded(Uapi.LIVEPATCH_NAME)) {
                    lp.disableAndUnload(TRANSITION_TIMEOUT);
                }
                if (loader.isLoaded(Uapi.MODULE_NAME)) {
                    loader.unload(Uapi.MODULE_NAME, Duration.ofSeconds(10));
                }
            } catch (KernelException e) {
                problems.add(e.getMessage());
            }
        }
        governors.restore(state.governors()).forEach(cpu -> problems.add("governor of CPU " + cpu
                + " not restored (wanted " + state.governors().get(cpu) + ")"));
        irqs.restore(state.irqAffinity()).forEach(irq -> problems.add("affinity of IRQ " + irq
                + " not restored (wanted " + state.irqAffinity().get(irq) + ")"));
        latency.restore(state.resumeLatency()).forEach(cpu -> problems.add("resume latency of CPU " + cpu
                + " not restored (wanted " + state.resumeLatency().get(cpu) + ")"));
        try {
            if (problems.isEmpty()) {
                stateFile.delete();
            } else {
                save();
            }
        } catch (IOException e) {
            problems.add("state file " + stateFile.path() + ": " + e.getMessage());
        }
        state = new RestoreState();
        return problems;
    }
}
