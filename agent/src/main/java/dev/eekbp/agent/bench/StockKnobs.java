package dev.eekbp.agent.bench;

import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets the stock tuning knobs of a bench cell and puts the host's values
 * back. The original of every knob is saved to a restore file (next to the
 * agent's state file) before the first write, so a crash or kill -9 leaves
 * what to restore: the next `eekbp bench` or `eekbp unload` does it.
 * Methods are synchronized: the shutdown hook restores from another thread.
 */
public final class StockKnobs {
    private static final String HEADER = "# eekbp bench: kernel knobs to restore (path under / and old value)";

    private final SysfsTree fs;
    private final Path restoreFile;
    private final Map<String, String> saved = new LinkedHashMap<>();

    public StockKnobs(SysfsTree fs, Path restoreFile) {
        this.fs = fs;
        this.restoreFile = restoreFile;
    }

    /** The restore file beside the agent's state file. */
    public static Path restoreFileBeside(Path stateFile) {
        return stateFile.resolveSibling("bench-knobs");
    }

    public Path restoreFile() {
        return restoreFile;
    }

    /**
     * What keeps {@code modes} from running here, one line per missing knob
     * (a knob a mode sets to a non-zero value that this kernel lacks).
     */
    public static List<String> missing(SysfsTree fs, List<BenchMode> modes, List<String> devices) {
        List<String> out = new ArrayList<>();
        for (BenchMode m : modes) {
            for (StockTuning.Knob k : m.stock().knobs(devices)) {
                if (!k.value().equals("0") && !fs.exists(k.path())) {
                    out.add("mode " + m.label() + " needs /" + k.path());
                }
            }
        }
        return out;
    }

    /** Saves the old values (first time only), then writes {@code knobs}; a missing knob set to 0 is skipped. */
    public synchronized void apply(List<StockTuning.Knob> knobs) throws IOException {
        boolean added = false;
        for (StockTuning.Knob k : knobs) {
            if (!fs.exists(k.path())) {
                if (k.value().equals("0")) {
                    continue;
                }
                throw new IOException("/" + k.path() + " does not exist on this kernel");
            }
            if (!saved.containsKey(k.path())) {
                saved.put(k.path(), fs.read(k.path()).strip());
                added = true;
            }
        }
        if (added) {
            persist();
        }
        for (StockTuning.Knob k : knobs) {
            if (saved.containsKey(k.path()) && !fs.read(k.path()).strip().equals(k.value())) {
                try {
                    fs.write(k.path(), k.value());
                } catch (IOException e) {
                    throw new IOException("cannot write " + k.value() + " to /" + k.path() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Writes every saved value back; the knobs it could not restore, which stay in the restore file. */
    public synchronized List<String> restore() {
        List<String> problems = new ArrayList<>();
        var it = saved.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            try {
                if (!fs.read(e.getKey()).strip().equals(e.getValue())) {
                    fs.write(e.getKey(), e.getValue());
                }
                it.remove();
            } catch (IOException ex) {
                problems.add("/" + e.getKey() + " not restored to " + e.getValue() + " (" + ex.getMessage() + ")");
            }
        }
        try {
            if (saved.isEmpty()) {
                Files.deleteIfExists(restoreFile);
            } else {
                persist();
            }
        } catch (IOException e) {
            problems.add("restore file " + restoreFile + ": " + e.getMessage());
        }
        return problems;
    }

    /**
     * Restores what an earlier bench left in the restore file (it crashed or
     * was killed); nothing when there is no file. Returns the problems.
     */
    public synchronized List<String> recover() throws IOException {
        String text;
        try {
            text = Files.readString(restoreFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Map<String, String> old;
        try {
            old = parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("bench restore file " + restoreFile + " is damaged (" + e.getMessage()
                    + "); set the knobs it names by hand, then delete it", e);
        }
        old.forEach(saved::putIfAbsent); // the older value is the host's own
        return restore();
    }

    /** True when an earlier bench left knobs to restore. */
    public boolean pending() {
        return Files.exists(restoreFile);
    }

    static String format(Map<String, String> values) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        values.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }

    /** "path value" lines; only the knobs the bench sets are accepted. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split(" ", 2);
            if (f.length != 2 || !knownKnob(f[0]) || !f[1].matches("-?\\d+")) {
                throw new IllegalArgumentException("bad line '" + t + "'");
            }
            out.put(f[0], f[1]);
        }
        return out;
    }

    private static boolean knownKnob(String path) {
        if (path.contains("..")) {
            return false;
        }
        if (path.equals("proc/sys/net/core/busy_read") || path.equals("proc/sys/net/core/busy_poll")) {
            return true;
        }
        return path.matches("sys/class/net/[^/]+/(threaded|napi_defer_hard_irqs|gro_flush_timeout)");
    }

    private void persist() throws IOException {
        Path dir = restoreFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        Path tmp = dir.resolve(restoreFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.write(tmp, format(saved).getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            Files.move(tmp, restoreFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, restoreFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The saved originals, for tests and messages. */
    synchronized Map<String, String> saved() {
        return Map.copyOf(saved);
    }
}
