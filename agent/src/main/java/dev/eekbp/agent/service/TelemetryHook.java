package dev.eekbp.agent.service;

import dev.eekbp.agent.config.Config;
import java.util.List;

/**
 * Where the daemon plugs in telemetry (dev.eekbp.agent.telemetry.TelemetryService).
 * Kept as a small interface so the lifecycle does not depend on how telemetry works.
 */
public interface TelemetryHook extends AutoCloseable {
    void start() throws Exception;

    /** Human-readable lines for `eekbp status`. */
    List<String> snapshot();

    /** Reopens output files (SIGHUP after logrotate). */
    default void reopen() {
    }

    @Override
    void close();

    /** Builds the hook for a config (its [telemetry] section and served devices). */
    @FunctionalInterface
    interface Factory {
        TelemetryHook create(Config config);
    }

    /** No telemetry (e.g. in tests). */
    Factory NONE = c -> new TelemetryHook() {
        @Override
        public void start() {
        }

        @Override
        public List<String> snapshot() {
            return List.of("telemetry: off");
        }

        @Override
        public void close() {
        }
    };
}
