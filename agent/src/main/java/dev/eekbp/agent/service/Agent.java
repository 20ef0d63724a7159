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
import dev.eekbp.agent.kernel.ModuleSyscalls;
import dev.eekbp.agent.kernel.SettingsPlan;
import dev.eekbp.agent.kernel.Uapi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's lifecycle: start (CPU setup, module load or adoption, sysfs
 * configuration, livepatch), reload of a new config without restart, and
 * stop (disable, restore CPUs, unpatch, unload). Every CPU setting is written
 * to the state file before it is changed. Methods are synchronized: the
 * config watcher and the stop signal may call in from different threads;
 * {@link #abortStart} is not, so a stop can cut a start short.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final Duration TRANSITION_TIMEOUT = Duration.ofSeconds(60);
    /** Whole stop, well inside the unit's TimeoutStopSec=120s. */
    public static final Duration STOP_BUDGET = Duration.ofSeconds(90);

    private final SysfsTree fs;
    private final StateFile stateFile;
    private final Governors governors;
    private final IrqAffinity irqs;
    private final ResumeLatency latency;
    private final KernelControl kernel;
    private final ModuleSyscalls syscalls;
    private volatile boolean abort;
    private final java.util.concurrent.atomic.AtomicLong irqOverrides = new java.util.concurrent.atomic.AtomicLong();

    private RestoreState state = new RestoreState();
    private LoadedConfig current;
    private FreqSupport freqSupport = FreqSupport.unusable("none", "not checked");
    private boolean adopted;

    /** An undo step of a reload; returns what it could not undo. */
    private interface Undo {
        List<String> run();
    }

    public Agent(SysfsTree fs, StateFile stateFile, ModuleProbe probe, ModuleSyscalls syscalls) {
        this.fs = fs;
        this.stateFile = stateFile;
        this.governors = new Governors(fs, probe);
        this.irqs = new IrqAffinity(fs);
        this.latency = new ResumeLatency(fs);
        this.kernel = new KernelControl(fs);
        this.syscalls = syscalls;
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

    /**
     * Why the running EE-KBP no longer routes packets, or empty when it does:
     * the livepatch was disabled or removed after start (a cumulative
     * livepatch with atomic replace does that to every other patch).
     */
    public synchronized Optional<String> livepatchProblem() {
        if (current == null) {
            return Optional.empty();
        }
        Livepatch lp = new Livepatch(fs, loader(current.config()));
        if (!lp.present()) {
            return Optional.of("livepatch " + Uapi.LIVEPATCH_NAME + " is gone from /sys/kernel/livepatch: packets"
                    + " take the stock softirq path; if another livepatch replaced it (atomic replace), restart"
                    + " eekbp to load it again on top (systemctl restart eekbp)");
        }
        if (!lp.enabled() && !lp.inTransition()) {
            return Optional.of("livepatch " + Uapi.LIVEPATCH_NAME + " is disabled: packets take the stock softirq"
                    + " path; if a cumulative livepatch replaced it (atomic replace), restart eekbp to load it"
                    + " again on top (systemctl restart eekbp)");
        }
        return Optional.empty();
    }

    /** How often a pinned IRQ was found moved by someone else and pinned again. */
    public long irqOverrides() {
        return irqOverrides.get();
    }

    /**
     * Pins again every IRQ the agent pinned whose affinity someone else
     * (irqbalance) changed; returns how many it re-pinned.
     */
    public synchronized int reassertIrqAffinity() {
        if (current == null || !current.config().placement().irqAffinity()) {
            return 0;
        }
        CpuList cpus = current.config().kernel().cpus();
        int n = 0;
        for (int irq : state.irqAffinity().keySet()) {
            String f = "proc/irq/" + irq + "/smp_affinity_list";
            Optional<String> now = fs.tryRead(f).map(String::strip);
            if (now.isEmpty() || sameCpus(now.get(), cpus)) {
                continue;
            }
            try {
                fs.write(f, cpus.toString());
                n++;
                LOG.warn("IRQ {} was moved to CPUs {} by someone else (irqbalance?); pinned to {} again", irq,
                        now.get(), cpus);
            } catch (IOException e) {
                LOG.warn("IRQ {} was moved to CPUs {} and cannot be pinned again: {}", irq, now.get(),
                        e.getMessage());
            }
        }
        irqOverrides.addAndGet(n);
        return n;
    }

    private static boolean sameCpus(String list, CpuList cpus) {
        try {
            return CpuList.parse(list).equals(cpus);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Makes a start in progress fail at its next step or wait (it then undoes itself). Any thread. */
    public void abortStart() {
        abort = true;
    }

    private void checkAbort() throws KernelException {
        if (abort) {
            throw new KernelException("stop requested during start");
        }
    }

    private ModuleLoader loader(Config c) {
        return new ModuleLoader(fs, c.kernel().moduleDir(), syscalls);
    }

    /** Brings EE-KBP up as configured; on failure undoes what it did and rethrows. */
    public synchronized void start(LoadedConfig lc) throws ConfigException, KernelException, CpuException,
            IOException {
        EnvironmentCheck.check(lc, fs);
        Config c = lc.config();
        state = stateFile.read().orElseGet(RestoreState::new);
        if (!state.isEmpty() && state.pid() != ProcessHandle.current().pid()) {
            LOG.info("found restore data of a previous run (pid {}) in {}; reusing it", state.pid(),
                    stateFile.path());
        }
        state.pid(ProcessHandle.current().pid());
        state.startTime(AgentProcess.startTime(ProcessHandle.current().pid()));
        ModuleLoader loader = loader(c);
        adopted = loader.isLoaded(Uapi.MODULE_NAME);
        if (!adopted) {
            loader.find(Uapi.MODULE_NAME); // fail before touching any CPU setting
            loader.find(Uapi.LIVEPATCH_NAME);
        }
        try {
            checkAbort();
            boolean freqCtl = switchGovernors(c, new ArrayDeque<>());
            pinPlacement(c);
            checkAbort();
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
            checkAbort();
            ModuleLoader.Outcome lp = new Livepatch(fs, loader).enable(TRANSITION_TIMEOUT, () -> abort);
            LOG.info("livepatch {} {}", Uapi.LIVEPATCH_NAME, lp == ModuleLoader.Outcome.LOADED ? "loaded"
                    : "adopted");
            checkAbort();
            kernel.setEnabled(true);
            current = lc;
            if (c.placement().irqAffinity()) {
                Irqbalance.running().ifPresent(pid -> LOG.warn("irqbalance (pid {}) is running and moves the IRQs"
                        + " the agent pins: ban the served CPUs in /etc/default/irqbalance with"
                        + " IRQBALANCE_BANNED_CPULIST={} (irqbalance 1.8+; older: IRQBALANCE_BANNED_CPUS=<hex"
                        + " mask>) and restart it; until then the agent pins them again every few seconds", pid,
                        c.kernel().cpus()));
            }
        } catch (KernelException | CpuException | IOException | RuntimeException e) {
            LOG.error("start failed, undoing: {}", e.getMessage());
            List<String> problems = teardown(c, !adopted, deadline(STOP_BUDGET));
            problems.forEach(p -> LOG.error("while undoing: {}", p));
            throw e;
        }
    }

    /**
     * Switches served CPUs to userspace when frequency control is wanted and
     * usable; the old governors are saved before the switch. Returns whether
     * frequency control can be on.
     */
    private boolean switchGovernors(Config c, Deque<Undo> undo) throws CpuException, IOException {
        if (!c.frequency().control()) {
            return false;
        }
        CpuList cpus = c.kernel().cpus();
        freqSupport = governors.check(cpus);
        if (!freqSupport.usable()) {
            LOG.warn("{}", freqSupport.problem().orElse(""));
            return false;
        }
        RestoreState.addMissing(state.governors(), governors.planned(cpus));
        save();
        Map<Integer, String> switched = governors.switchToUserspace(cpus);
        undo.push(() -> governors.restore(switched).stream().map(cpu -> "governor of CPU " + cpu
                + " not put back to " + switched.get(cpu)).toList());
        return true;
    }

    /** IRQ affinity and C-state caps; old values are saved before they change. */
    private void pinPlacement(Config c) throws CpuException, IOException {
        CpuList cpus = c.kernel().cpus();
        List<String> devs = irqs.targets(c.placement(), c.kernel().devices());
        if (c.placement().irqAffinity() && devs.isEmpty()) {
            LOG.warn("IRQ affinity left alone: no [kernel] devices named (name them, or set [placement]"
                    + " irq_affinity = \"all\" to pin every NIC's IRQs to the served CPUs)");
        }
        if (!devs.isEmpty()) {
            Map<Integer, String> planned = irqs.planned(devs);
            Map<Integer, String> added = RestoreState.addMissing(state.irqAffinity(), planned);
            save();
            List<String> skipped = new ArrayList<>();
            Map<Integer, String> pinned = irqs.pin(devs, cpus, skipped);
            skipped.forEach(s -> LOG.warn("IRQ affinity not changed for {}", s));
            added.keySet().stream().filter(irq -> !pinned.containsKey(irq)).forEach(state.irqAffinity()::remove);
        }
        if (c.placement().resumeLatencyUs() >= 0) {
            RestoreState.addMissing(state.resumeLatency(), latency.planned(cpus));
            save();
            latency.set(cpus, c.placement().resumeLatencyUs());
        }
        save();
    }

    private void save() throws IOException {
        stateFile.write(state);
    }

    /**
     * Applies a new config to the running system, all or nothing: on any
     * failure every step already made is undone, the running configuration
     * stays as it was and the exception says why.
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
        RestoreState before = state.copy();
        FreqSupport supportBefore = freqSupport;
        Deque<Undo> undo = new ArrayDeque<>();
        boolean freqCtl;
        try {
            // 1. governors where frequency control is (still) wanted
            freqCtl = switchGovernors(c, undo);
            // 2. placement: redo when it or the served set changed
            if (!old.placement().equals(c.placement()) || !old.kernel().cpus().equals(cpus)
                    || !old.kernel().devices().equals(c.kernel().devices())) {
                Map<Integer, String> oldIrqs = new LinkedHashMap<>(state.irqAffinity());
                Map<Integer, String> oldLat = new LinkedHashMap<>(state.resumeLatency());
                irqs.restore(oldIrqs);
                latency.restore(oldLat);
                undo.push(() -> reapply(old));
                state.irqAffinity().clear();
                state.resumeLatency().clear();
                undo.push(() -> {
                    List<String> p = new ArrayList<>();
                    irqs.restore(state.irqAffinity()).forEach(irq -> p.add("affinity of IRQ " + irq));
                    latency.restore(state.resumeLatency()).forEach(cpu -> p.add("resume latency of CPU " + cpu));
                    return p;
                });
                pinPlacement(c);
            }
            // 3. the module, all or nothing by itself
            List<Change> changes = kernel.diff(SettingsPlan.of(c, freqCtl));
            kernel.apply(changes);
            changes.forEach(ch -> LOG.info("reload: set {}", ch));
        } catch (KernelException | CpuException | IOException | RuntimeException e) {
            List<String> problems = new ArrayList<>();
            while (!undo.isEmpty()) {
                problems.addAll(undo.pop().run());
            }
            state = before;
            freqSupport = supportBefore;
            try {
                save();
            } catch (IOException io) {
                problems.add("state file " + stateFile.path() + ": " + io.getMessage());
            }
            problems.forEach(p -> LOG.error("reload rollback incomplete: {}", p));
            throw e;
        }
        // 4. governors of CPUs that no longer need userspace go back (cannot fail the reload)
        Map<Integer, String> release = new LinkedHashMap<>();
        state.governors().forEach((cpu, gov) -> {
            if (!freqCtl || !cpus.contains(cpu)) {
                release.put(cpu, gov);
            }
        });
        governors.restore(release).forEach(cpu -> LOG.warn("could not restore governor of CPU {}", cpu));
        release.keySet().forEach(state.governors()::remove);
        save();
        current = next;
    }

    /** Undo of a placement change: the old config's pins and caps again. */
    private List<String> reapply(Config old) {
        List<String> p = new ArrayList<>();
        irqs.pin(irqs.targets(old.placement(), old.kernel().devices()), old.kernel().cpus(), p);
        if (old.placement().resumeLatencyUs() >= 0) {
            try {
                latency.set(old.kernel().cpus(), old.placement().resumeLatencyUs());
            } catch (CpuException e) {
                p.add(e.getMessage());
            }
        }
        return p;
    }

    /**
     * IRQ pins without the module (the bench's stock-NAPI cells), saved in
     * the state file like every other change; {@link #stop} puts them back.
     */
    public synchronized void pinIrqsOnly(Config c) throws CpuException, IOException {
        state.pid(ProcessHandle.current().pid());
        Config irqOnly = new Config(c.kernel(), c.frequency(), new dev.eekbp.agent.config.PlacementConfig(
                c.placement().irqPinning(), dev.eekbp.agent.config.PlacementConfig.RESUME_LATENCY_UNCHANGED),
                c.telemetry());
        pinPlacement(irqOnly);
    }

    /** Full stop within {@link #STOP_BUDGET}: disable, restore CPUs, unpatch, unload, delete the state file. */
    public synchronized List<String> stop() {
        return stop(STOP_BUDGET);
    }

    synchronized List<String> stop(Duration budget) {
        Config c = current != null ? current.config() : Config.defaults();
        List<String> problems = teardown(c, true, deadline(budget));
        current = null;
        return problems;
    }

    /**
     * `eekbp unload` without a running daemon: uses the saved restore data.
     * {@code moduleDir} only matters for finding files, not for unloading.
     */
    public synchronized List<String> unloadWithSavedState(Config c) throws IOException {
        state = stateFile.read().orElseGet(RestoreState::new);
        return teardown(c, true, deadline(STOP_BUDGET));
    }

    /** True when no module, livepatch or restore data is there: `eekbp unload` has nothing to do. */
    public synchronized boolean nothingToUndo() throws IOException {
        ModuleLoader l = loader(Config.defaults());
        return !kernel.present() && !l.isLoaded(Uapi.MODULE_NAME) && !l.isLoaded(Uapi.LIVEPATCH_NAME)
                && !new Livepatch(fs, l).present() && stateFile.read().isEmpty();
    }

    private static long deadline(Duration budget) {
        return System.nanoTime() + budget.toNanos();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Undo everything: threads off, CPU settings back (fast sysfs writes, so
     * they happen even if unloading later runs out of time), then the
     * livepatch and the module, bounded by {@code deadline}. With
     * {@code unloadModules} false the kernel side is left as it is.
     */
    private List<String> teardown(Config c, boolean unloadModules, long deadline) {
        List<String> problems = new ArrayList<>();
        ModuleLoader loader = loader(c);
        if (unloadModules && kernel.present()) {
            try {
                kernel.setEnabled(false);
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
        if (unloadModules) {
            try {
                Livepatch lp = new Livepatch(fs, loader);
                if (lp.present() || loader.isLoaded(Uapi.LIVEPATCH_NAME)) {
                    lp.disableAndUnload(remaining(deadline));
                }
                if (loader.isLoaded(Uapi.MODULE_NAME)) {
                    loader.unload(Uapi.MODULE_NAME, remaining(deadline));
                }
            } catch (KernelException e) {
                problems.add(e.getMessage());
            }
        }
        try {
            if (problems.isEmpty()) {
                stateFile.delete();
            } else {
                save(); // kept for a retry with `eekbp unload`
            }
        } catch (IOException e) {
            problems.add("state file " + stateFile.path() + ": " + e.getMessage());
        }
        state = new RestoreState();
        return problems;
    }
}
