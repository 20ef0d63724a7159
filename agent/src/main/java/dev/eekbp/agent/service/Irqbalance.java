package dev.eekbp.agent.service;

import java.util.Optional;

/** Finds a running irqbalance daemon, which rewrites the IRQ affinities the agent sets. */
final class Irqbalance {
    private Irqbalance() {
    }

    /** Pid of a running irqbalance, if any. */
    static Optional<Long> running() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/irqbalance") || c.equals("irqbalance"))
                        .orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }
}
