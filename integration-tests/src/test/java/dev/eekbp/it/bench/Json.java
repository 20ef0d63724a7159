package dev.eekbp.it.bench;

import java.util.Collection;
import java.util.Map;

/** A minimal JSON encoder for maps, lists, strings, numbers and booleans. */
final class Json {

    private Json() {
    }

    static String encode(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                sb.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(i++ == 0 ? "" : ",").append('\n').append("  ".repeat(depth + 1));
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), depth + 1);
                }
                sb.append(m.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append('}');
            }
            case Collection<?> c -> {
                sb.append('[');
                int i = 0;
                for (Object o : c) {
                    sb.append(i++ == 0 ? "" : ", ");
                    write(sb, o, depth + 1);
                }
                sb.append(']');
            }
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : num(d));
            case Float f -> write(sb, f.doubleValue(), depth);
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            default -> string(sb, v.toString());
        }
    }

    private static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        // 4 decimals; a value that rounds to an integer prints as one ("900", not "900.")
        return java.math.BigDecimal.valueOf(d).setScale(4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static void string(StringBuilder sb, String s) {
        dev.eekbp.agent.telemetry.Json.string(sb, s);
    }
}
