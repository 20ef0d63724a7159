package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.FreqSupport;
import dev.eekbp.agent.service.Agent;
import java.util.ArrayList;
import java.util.List;

/**
 * Switches modes with the agent's own lifecycle: stock NAPI is a full stop
 * (modules unloaded, CPUs restored), the module modes are a start or a
 * reload of the config with the mode and frequency control replaced. When
 * the config pins NIC IRQs, they stay pinned to the served CPUs under NAPI
 * too, so every mode takes its interrupts on the same CPUs; the agent saves
 * those pins in its state file, so `eekbp unload` restores them after a crash.
 */
public final class AgentSwitcher implements ModeSwitcher {
    private final Agent agent;
    private final LoadedConfig base;
    private boolean running;
    private boolean napiPinned;
    private boolean restored;

    public AgentSwitcher(Agent agent, LoadedConfig base) {
        this.agent = agent;
        this.base = base;
    }

    @Override
    public synchronized String enter(BenchMode mode) throws Exception {
        if (restored) {
            throw new BenchException("bench stopped");
        }
        Config cfg = base.config();
        if (mode.kernelMode().isEmpty()) {
            if (running) {
                stop();
            }
            if (cfg.placement().irqAffinity() && !napiPinned) {
                agent.pinIrqsOnly(cfg);
                napiPinned = true;
            }
            return "";
        }
        napiPinned = false; // start keeps the saved original affinities; stop restores them
        LoadedConfig lc = new LoadedConfig(base.file(), mode.applyTo(cfg), base.lines());
        if (running) {
            agent.reload(lc);
        } else {
            agent.start(lc);
            running = true;
        }
        FreqSupport fs = agent.freqSupport();
        if (mode.frequencyControl() && !fs.usable()) {
            return "frequency control unusable: " + fs.problem().orElse("unknown reason");
        }
        return "";
    }

    private void stop() throws BenchException {
        List<String> problems = agent.stop();
        running = false;
        if (!problems.isEmpty()) {
            throw new BenchException("switching to stock NAPI left problems: " + String.join("; ", problems));
        }
    }

    /** Cuts a start in progress short (Ctrl-C); any thread. */
    public void abort() {
        agent.abortStart();
    }

    @Override
    public synchronized List<String> restore() {
        List<String> problems = new ArrayList<>();
        if (!restored && (running || napiPinned)) {
            problems.addAll(agent.stop());
        }
        running = false;
        napiPinned = false;
        restored = true;
        return problems;
    }
}
