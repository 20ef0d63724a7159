package dev.eekbp.agent.telemetry;

/** Minimal JSON writing into a reused StringBuilder (numbers, strings, null). */
public final class Json {
    private Json() {
    }

    public static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** A number, or null for NaN and infinities (JSON has neither). */
    public static StringBuilder number(StringBuilder b, double v) {
        return Double.isFinite(v) ? b.append(v) : b.append("null");
    }

    public static StringBuilder field(StringBuilder b, String name) {
        if (b.length() > 0 && b.charAt(b.length() - 1) != '{' && b.charAt(b.length() - 1) != '[') {
            b.append(',');
        }
        return string(b, name).append(':');
    }
}
