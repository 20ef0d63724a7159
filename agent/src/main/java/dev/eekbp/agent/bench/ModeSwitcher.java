package dev.eekbp.agent.bench;

import java.util.List;

/** Puts the machine into one bench mode at a time and undoes it all at the end. */
public interface ModeSwitcher {
    /**
     * Switches to {@code mode}; returns a note when the mode runs degraded
     * (frequency control unusable...), else the empty string.
     */
    String enter(BenchMode mode) throws Exception;

    /** Undoes what only the cell needed (the stock knobs); the problems that remain, if any. */
    default List<String> leave() {
        return List.of();
    }

    /** Back to the state before the bench; the problems that remain, if any. */
    List<String> restore();
}
