package dev.eekbp.agent.config;

import java.nio.file.Path;

/** One problem in a config file; line 0 means the problem is not tied to a line. */
public record ConfigError(Path file, int line, String key, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
