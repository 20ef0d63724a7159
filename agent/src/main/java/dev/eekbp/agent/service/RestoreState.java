package dev.eekbp.agent.service;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent changed and must put back on stop: previous governors and
 * resume-latency caps per CPU, previous affinity lists per IRQ, and whether
 * the agent loaded the modules itself. Survives kill -9 in the state file.
 */
public final class RestoreState {
    private final Map<Integer, String> governors = new TreeMap<>();
    private final Map<Integer, String> irqAffinity = new TreeMap<>();
    private final Map<Integer, String> resumeLatency = new TreeMap<>();
    private boolean loadedModules;
    private long pid;

    public Map<Integer, String> governors() {
        return governors;
    }

    public Map<Integer, String> irqAffinity() {
        return irqAffinity;
    }

    public Map<Integer, String> resumeLatency() {
        return resumeLatency;
    }

    public boolean loadedModules() {
        return loadedModules;
    }

    public void loadedModules(boolean v) {
        loadedModules = v;
    }

    /** Pid of the agent that wrote the state. */
    public long pid() {
        return pid;
    }

    public void pid(long v) {
        pid = v;
    }

    /** Adds saved values, keeping older ones: after a crash the first saved value is the real original. */
    public static void keepOldest(Map<Integer, String> into, Map<Integer, String> saved) {
        saved.forEach(into::putIfAbsent);
    }

    public boolean isEmpty() {
        return governors.isEmpty() && irqAffinity.isEmpty() && resumeLatency.isEmpty() && !loadedModules;
    }
}
