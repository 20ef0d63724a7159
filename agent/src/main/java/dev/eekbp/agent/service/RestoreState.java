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
    private long startTime;

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

    /** Start time of that process in clock ticks since boot (/proc/PID/stat field 22); 0 if unknown. */
    public long startTime() {
        return startTime;
    }

    public void startTime(long v) {
        startTime = v;
    }

    /** Adds saved values, keeping older ones: after a crash the first saved value is the real original. */
    public static void keepOldest(Map<Integer, String> into, Map<Integer, String> saved) {
        saved.forEach(into::putIfAbsent);
    }

    /** A deep copy (the state before a reload, to roll back to). */
    public RestoreState copy() {
        RestoreState c = new RestoreState();
        c.governors.putAll(governors);
        c.irqAffinity.putAll(irqAffinity);
        c.resumeLatency.putAll(resumeLatency);
        c.loadedModules = loadedModules;
        c.pid = pid;
        c.startTime = startTime;
        return c;
    }

    /** Adds the entries of {@code planned} that are not saved yet; returns those it added. */
    public static Map<Integer, String> addMissing(Map<Integer, String> into, Map<Integer, String> planned) {
        Map<Integer, String> added = new TreeMap<>();
        planned.forEach((k, v) -> {
            if (!into.containsKey(k)) {
                into.put(k, v);
                added.put(k, v);
            }
        });
        return added;
    }

    public boolean isEmpty() {
        return governors.isEmpty() && irqAffinity.isEmpty() && resumeLatency.isEmpty() && !loadedModules;
    }
}
