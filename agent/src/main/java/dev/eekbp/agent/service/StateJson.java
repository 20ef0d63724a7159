package dev.eekbp.agent.service;

import java.util.Map;

/** Parser for the state file's small JSON subset: one object of numbers, booleans and string maps. */
final class StateJson {
    private final String s;
    private int i;

    private StateJson(String s) {
        this.s = s;
    }

    static RestoreState parse(String text) {
        StateJson p = new StateJson(text);
        RestoreState st = new RestoreState();
        p.expect('{');
        if (!p.peek('}')) {
            do {
                String key = p.string();
                p.expect(':');
                switch (key) {
                    case "version" -> {
                        if (p.number() != 1) {
                            throw new IllegalArgumentException("unsupported version");
                        }
                    }
                    case "pid" -> st.pid(p.number());
                    case "start_time" -> st.startTime(p.number());
                    case "loaded_modules" -> st.loadedModules(p.bool());
                    case "governors" -> p.map(st.governors());
                    case "irq_affinity" -> p.map(st.irqAffinity());
                    case "resume_latency" -> p.map(st.resumeLatency());
                    default -> throw new IllegalArgumentException("unknown key " + key);
                }
            } while (p.accept(','));
        }
        p.expect('}');
        return st;
    }

    private void map(Map<Integer, String> into) {
        expect('{');
        if (!peek('}')) {
            do {
                String k = string();
                expect(':');
                try {
                    into.put(Integer.parseInt(k), string());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("key " + k + " is not a number");
                }
            } while (accept(','));
        }
        expect('}');
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        ws();
        return i < s.length() && s.charAt(i) == c;
    }

    private boolean accept(char c) {
        if (peek(c)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at offset " + i);
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (i < s.length() && s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) {
                char n = s.charAt(i++);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        expect('"');
        return sb.toString();
    }

    private long number() {
        ws();
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
            i++;
        }
        try {
            return Long.parseLong(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number at offset " + start);
        }
    }

    private boolean bool() {
        ws();
        if (s.startsWith("true", i)) {
            i += 4;
            return true;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return false;
        }
        throw new IllegalArgumentException("expected true or false at offset " + i);
    }
}
