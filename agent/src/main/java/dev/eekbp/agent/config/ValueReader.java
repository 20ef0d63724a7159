package dev.eekbp.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Typed, range-checked access to the keys of one TOML section; problems go to a shared error list. */
final class ValueReader {
    private static final int IFNAMSIZ = 16;

    private final Path file;
    private final String section;
    private final TomlTable table;
    private final List<ConfigError> errors;
    private final Map<String, Integer> lines;

    ValueReader(Path file, String section, TomlTable table, List<ConfigError> errors, Map<String, Integer> lines) {
        this.file = file;
        this.section = section;
        this.table = table;
        this.errors = errors;
        this.lines = lines;
        if (table != null) {
            for (String k : table.keySet()) {
                lines.put(section + "." + k, line(k));
            }
        }
    }

    void rejectUnknown(Set<String> known) {
        if (table == null) {
            return;
        }
        for (String k : table.keySet()) {
            if (!known.contains(k)) {
                error(k, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    void error(String key, String message) {
        errors.add(new ConfigError(file, line(key), section + "." + key, message));
    }

    private int line(String key) {
        if (table == null) {
            return 0;
        }
        TomlPosition p = table.inputPositionOf(List.of(key));
        return p == null ? 0 : p.line();
    }

    private Object raw(String key) {
        return table == null ? null : table.get(List.of(key));
    }

    private static String typeName(Object v) {
        if (v instanceof String) {
            return "a string";
        } else if (v instanceof Long) {
            return "an integer";
        } else if (v instanceof Double) {
            return "a float";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v instanceof TomlArray) {
            return "an array";
        } else if (v instanceof TomlTable) {
            return "a table";
        }
        return "a " + v.getClass().getSimpleName();
    }

    private String string(String key, String dflt) {
        Object v = raw(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        error(key, "must be a string, got " + typeName(v));
        return dflt;
    }

    boolean bool(String key, boolean dflt) {
        Object v = raw(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        error(key, "must be true or false, got " + typeName(v));
        return dflt;
    }

    PlacementConfig.IrqPinning irqPinning(String key, PlacementConfig.IrqPinning dflt) {
        Object v = raw(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b ? PlacementConfig.IrqPinning.NAMED : PlacementConfig.IrqPinning.OFF;
        }
        if ("all".equals(v)) {
            return PlacementConfig.IrqPinning.ALL;
        }
        error(key, "must be true (the devices in kernel.devices), false or \"all\" (every NIC when kernel.devices"
                + " is empty), got " + (v instanceof String s ? "\"" + s + "\"" : typeName(v)));
        return dflt;
    }

    long integer(String key, long dflt, long min, long max) {
        Object v = raw(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Long l)) {
            error(key, "must be an integer in " + min + ".." + max + ", got " + typeName(v));
            return dflt;
        }
        if (l < min || l > max) {
            error(key, "must be in " + min + ".." + max + ", got " + l);
            return dflt;
        }
        return l;
    }

    String oneOf(String key, String dflt, String... allowed) {
        String s = string(key, dflt);
        if (!List.of(allowed).contains(s)) {
            error(key, "must be one of " + String.join(" | ", allowed) + ", got \"" + s + "\"");
            return dflt;
        }
        return s;
    }

    Mode mode(String key, Mode dflt) {
        String s = string(key, dflt.sysfsValue());
        Optional<Mode> m = Mode.parse(s);
        if (m.isEmpty()) {
            error(key, "must be one of " + String.join(" | ", java.util.Arrays.stream(Mode.values())
                    .map(Mode::sysfsValue).toList()) + ", got \"" + s + "\"");
            return dflt;
        }
        return m.get();
    }

    /** "other" or "fifo:<1-99>" (the threads' scheduling policy). */
    String sched(String key, String dflt) {
        String s = string(key, dflt);
        if (s.equals(KernelConfig.SCHED_DEFAULT)) {
            return s;
        }
        if (s.startsWith("fifo:") && s.length() > 5 && s.length() <= 7
                && s.substring(5).chars().allMatch(c -> c >= '0' && c <= '9')) {
            int prio = Integer.parseInt(s.substring(5));
            if (prio >= KernelConfig.FIFO_PRIO_MIN && prio <= KernelConfig.FIFO_PRIO_MAX) {
                return s;
            }
        }
        error(key, "must be \"other\" or \"fifo:<" + KernelConfig.FIFO_PRIO_MIN + "-"
                + KernelConfig.FIFO_PRIO_MAX + ">\", got \"" + s + "\"");
        return dflt;
    }

    CpuList cpuList(String key, CpuList dflt) {
        String s = string(key, dflt.toString());
        try {
            return CpuList.parse(s);
        } catch (IllegalArgumentException e) {
            error(key, "bad CPU list: " + e.getMessage() + " (expected e.g. \"0\" or \"0-1,3\")");
            return dflt;
        }
    }

    List<String> deviceNames(String key) {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof TomlArray a)) {
            error(key, "must be an array of interface names such as [\"eth0\"], got " + typeName(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Object e = a.get(i);
            if (!(e instanceof String name)) {
                error(key, "element " + i + " must be a string, got " + typeName(e));
            } else if (!validIfName(name)) {
                error(key, "\"" + name + "\" is not a valid interface name (1-15 characters, no '/', ':', ',' or"
                        + " whitespace)");
            } else if (out.contains(name)) {
                error(key, "\"" + name + "\" is listed twice");
            } else {
                out.add(name);
            }
        }
        return out;
    }

    static boolean validIfName(String n) {
        if (n.isEmpty() || n.length() >= IFNAMSIZ || n.equals(".") || n.equals("..")) {
            return false;
        }
        return n.chars().noneMatch(c -> c == '/' || c == ':' || c == ',' || Character.isWhitespace(c) || c < 0x21
                || c > 0x7e);
    }

    Optional<Path> optionalAbsolutePath(String key) {
        String s = string(key, "");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (!s.startsWith("/") || s.contains("\0")) {
            error(key, "must be an absolute path or \"\", got \"" + s + "\"");
            return Optional.empty();
        }
        return Optional.of(Path.of(s));
    }

    String ipmi(String key, String dflt) {
        String s = string(key, dflt);
        if (s.equals("auto") || s.equals("off") || s.startsWith("/dev/") && s.length() > 5) {
            return s;
        }
        error(key, "must be auto | off | a device path such as /dev/ipmi0, got \"" + s + "\"");
        return dflt;
    }

    /** "host:port" or "[v6]:port"; empty gives Optional.empty(). */
    Optional<InetSocketAddress> address(String key, String dflt, int minPort) {
        String s = string(key, dflt);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        int colon = s.lastIndexOf(':');
        String host = colon > 0 ? s.substring(0, colon) : "";
        String port = colon > 0 ? s.substring(colon + 1) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = "";
        }
        if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < minPort || Integer.parseInt(port) > 65535) {
            error(key, "must be \"host:port\" with port " + minPort + "..65535 (IPv6 as \"[::1]:9477\"), got \"" + s
                    + "\"");
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        try {
            return Optional.of(new InetSocketAddress(InetAddress.ofLiteral(host), p));
        } catch (IllegalArgumentException notLiteral) {
            if (!host.chars().allMatch(c -> c < 0x80)) {
                error(key, "host \"" + host + "\" must be an ASCII name or address");
                return Optional.empty();
            }
            InetSocketAddress a = new InetSocketAddress(host, p); // resolves; unresolved if the name is unknown
            return Optional.of(a);
        }
    }
}
