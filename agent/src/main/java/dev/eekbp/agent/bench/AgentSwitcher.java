package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.FreqSupport;
import dev.eekbp.agent.service.Agent;
import java.util.List;

/**
 * Switches modes with the agent's own lifecycle: stock NAPI is a full stop
 * (modules unloaded, CPUs restored), the module modes are a start or a
 * reload of the config with the mode and frequency control replaced.
 */
public final class AgentSwitcher implements ModeSwitcher {
    private final Agent agent;
    private final LoadedConfig base;
    private boolean running;

    public AgentSwitcher(Agent agent, LoadedConfig base) {
        this.agent = agent;
        this.base = base;
    }

    @Override
    public String enter(BenchMode mode) throws Exception {
        if (mode.kernelMode().isEmpty()) {
            if (running) {
                stop();
            }
            return "";
        }
        Config c = mode.applyTo(base.config());
        LoadedConfig lc = new LoadedConfig(base.file(), c, base.lines());
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

    private void stop() throws Exception {
        List<String> problems = agent.stop();
        running = false;
        if (!problems.isEmpty()) {
            throw new BenchException("switching to stock NAPI left problems: "
                    + String.join("; ", problems));
        }
    }

    @Override
    public List<String> restore() {
        if (!running) {
            return List.of();
        }
        running = false;
        return agent.stop();
    }
}
