package dev.eekbp.agent.service;

import dev.eekbp.agent.json.JsonReader;
import java.util.Map;

/**
 * The state file's JSON (one object: version 1, numbers, a boolean and
 * maps of CPU or IRQ number to string) into a {@link RestoreState}; strict:
 * an unknown key or a value of the wrong type is an error.
 */
final class StateJson {

    private StateJson() {
    }

    static RestoreState parse(String text) {
        if (!(JsonReader.parse(text) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("expected an object");
        }
        RestoreState st = new RestoreState();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String key = (String) e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "version" -> {
                    if (number(key, v) != 1) {
                        throw new IllegalArgumentException("unsupported version");
                    }
                }
                case "pid" -> st.pid(number(key, v));
                case "start_time" -> st.startTime(number(key, v));
                case "loaded_modules" -> {
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalArgumentException("loaded_modules: expected true or false");
                    }
                    st.loadedModules(b);
                }
                case "governors" -> map(key, v, st.governors());
                case "irq_affinity" -> map(key, v, st.irqAffinity());
                case "resume_latency" -> map(key, v, st.resumeLatency());
                default -> throw new IllegalArgumentException("unknown key " + key);
            }
        }
        return st;
    }

    private static long number(String key, Object v) {
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > 0x1p53) {
            throw new IllegalArgumentException(key + ": expected a whole number, got " + v);
        }
        return d.longValue();
    }

    private static void map(String key, Object v, Map<Integer, String> into) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(key + ": expected an object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = (String) e.getKey();
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException(key + "." + k + ": expected a string");
            }
            try {
                into.put(Integer.parseInt(k), s);
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("key " + k + " is not a number");
            }
        }
    }
}
