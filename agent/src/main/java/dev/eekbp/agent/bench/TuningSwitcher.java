package dev.eekbp.agent.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A mode switch in two parts: the stock knobs of the mode (threaded NAPI,
 * IRQ deferral, busy polling; all off for NAPI and the module modes), saved
 * and set before the cell and restored after it, then the module's part
 * (unloaded for the stock modes) through the agent.
 */
public final class TuningSwitcher implements ModeSwitcher {
    private final AgentSwitcher agent;
    private final StockKnobs knobs;
    private final List<String> devices;

    public TuningSwitcher(AgentSwitcher agent, StockKnobs knobs, List<String> devices) {
        this.agent = agent;
        this.knobs = knobs;
        this.devices = List.copyOf(devices);
    }

    @Override
    public String enter(BenchMode mode) throws Exception {
        knobs.apply(mode.stock().knobs(devices));
        return agent.enter(mode);
    }

    @Override
    public List<String> leave() {
        return knobs.restore();
    }

    /** Cuts a start in progress short (Ctrl-C); any thread. */
    public void abort() {
        agent.abort();
    }

    @Override
    public List<String> restore() {
        List<String> problems = new ArrayList<>(knobs.restore());
        problems.addAll(agent.restore());
        return problems;
    }
}
