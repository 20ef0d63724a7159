package dev.eekbp.agent.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A mode switch in two parts: the stock knobs of the mode (threaded NAPI,
 * IRQ deferral, busy polling; all off for NAPI and the module modes), saved
 * and set before the cell and restored after it, with threaded NAPI's
 * threads pinned to the served CPUs meanwhile, then the module's part
 * (unloaded for the stock modes) through the agent.
 */
public final class TuningSwitcher implements ModeSwitcher {
    private final AgentSwitcher agent;
    private final StockKnobs knobs;
    private final List<String> devices;
    private final NapiThreadPins pins;

    public TuningSwitcher(AgentSwitcher agent, StockKnobs knobs, List<String> devices,
            NapiThreadPins pins) {
        this.agent = agent;
        this.knobs = knobs;
        this.devices = List.copyOf(devices);
        this.pins = pins;
    }

    @Override
    public String enter(BenchMode mode) throws Exception {
        knobs.apply(mode.stock().knobs(devices));
        String note = agent.enter(mode);
        if (!mode.stock().threaded()) {
            return note;
        }
        int n = pins.pin().size();
        String p = n == 0 ? "no napi threads found to pin" : n + " napi thread(s) pinned to the served CPUs";
        return note == null || note.isEmpty() ? p : note + "; " + p;
    }

    @Override
    public List<String> leave() {
        List<String> problems = new ArrayList<>(pins.restore());
        problems.addAll(knobs.restore());
        return problems;
    }

    /** Cuts a start in progress short (Ctrl-C); any thread. */
    public void abort() {
        agent.abort();
    }

    @Override
    public List<String> restore() {
        List<String> problems = new ArrayList<>(pins.restore());
        problems.addAll(knobs.restore());
        problems.addAll(agent.restore());
        return problems;
    }
}
