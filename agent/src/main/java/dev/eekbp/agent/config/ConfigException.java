package dev.eekbp.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used; lists every problem found, each with file, line and key. */
public final class ConfigException extends Exception {
    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public static ConfigException single(ConfigError error) {
        return new ConfigException(List.of(error));
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
