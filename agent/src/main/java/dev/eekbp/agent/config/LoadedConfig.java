package dev.eekbp.agent.config;

import java.nio.file.Path;
import java.util.Map;

/** A validated config together with where it came from and the line of each key ("kernel.cpus" -> 4). */
public record LoadedConfig(Path file, Config config, Map<String, Integer> lines) {
    public LoadedConfig {
        lines = Map.copyOf(lines);
    }

    /** An error about {@code key} of this file, pointing at the key's line when known. */
    public ConfigError error(String key, String message) {
        return new ConfigError(file, lines.getOrDefault(key, 0), key, message);
    }
}
