package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.FreqSupport;
import dev.eekbp.agent.cpu.IrqAffinity;
import dev.eekbp.agent.service.Agent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Switches modes with the agent's own lifecycle: stock NAPI is a full stop
 * (modules unloaded, CPUs restored), the module modes are a start or a
 * reload of the config with the mode and frequency control replaced. When
 * the config pins NIC IRQs, they stay pinned to the served CPUs under NAPI
 * too, so every mode takes its interrupts on the same CPUs.
 */
public final class AgentSwitcher implements ModeSwitcher {
    private final Agent agent;
    private final IrqAffinity irqs;
    private final LoadedConfig base;
    private boolean running;
    private Map<Integer, String> napiPins = Map.of();

    public AgentSwitcher(Agent agent, IrqAffinity irqs, LoadedConfig base) {
        this.agent = agent;
        this.irqs = irqs;
        this.base = base;
    }

    @Override
    public String enter(BenchMode mode) throws Exception {
        Config cfg = base.config();
        if (mode.kernelMode().isEmpty()) {
            if (running) {
                stop();
            }
            if (cfg.placement().irqAffinity() && napiPins.isEmpty()) {
                napiPins = irqs.pin(cfg.kernel().devices(), cfg.kernel().cpus(), new ArrayList<>());
            }
            return "";
        }
        unpinNapi();
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

    private List<String> unpinNapi() {
        List<String> problems = new ArrayList<>();
        irqs.restore(napiPins).forEach(irq -> problems.add("affinity of IRQ " + irq + " not restored (wanted "
                + napiPins.get(irq) + ")"));
        napiPins = Map.of();
        return problems;
    }

    @Override
    public List<String> restore() {
        List<String> problems = new ArrayList<>(unpinNapi());
        if (running) {
            running = false;
            problems.addAll(agent.stop());
        }
        return problems;
    }
}
