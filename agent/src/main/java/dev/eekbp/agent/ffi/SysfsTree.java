package dev.eekbp.agent.ffi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Text access to /sys and /proc below a root directory ("/" in production,
 * a fake tree in tests). Paths are given relative to the root, e.g.
 * "sys/kernel/eekbp/mode". Not final so tests can observe the order of writes.
 */
public class SysfsTree {
    private final Path root;

    public SysfsTree(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path path(String relative) {
        return root.resolve(relative.startsWith("/") ? relative.substring(1) : relative);
    }

    public boolean exists(String relative) {
        return Files.exists(path(relative));
    }

    /** Whole file content without the trailing newline. */
    public String read(String relative) throws IOException {
        String s = Files.readString(path(relative), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Like {@link #read} but empty when the file is missing or unreadable. */
    public Optional<String> tryRead(String relative) {
        try {
            return Optional.of(read(relative));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a value as one write(2) the way `echo value > file` does; never
     * creates the file. The IOException carries the kernel's error
     * (e.g. "Invalid argument").
     */
    public void write(String relative, String value) throws IOException {
        Files.writeString(path(relative), value + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
