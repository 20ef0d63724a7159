package dev.eekbp.agent.service;

import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.ffi.Posix;
import java.nio.file.Path;

/**
 * Loads the two slowest libraries (jnr-posix, which generates its bindings,
 * and the TOML parser) on background threads while the command line is
 * parsed; on a slow (emulated) CPU this shortens the time to READY.
 */
public final class Warmup {
    private Warmup() {
    }

    public static void start() {
        Thread.ofPlatform().daemon().name("eekbp-warmup-posix").start(Posix::geteuid);
        Thread.ofPlatform().daemon().name("eekbp-warmup-toml").start(() -> {
            try {
                ConfigLoader.parse(Path.of("warmup.toml"), "[kernel]\nquota = 1\n");
            } catch (Exception e) {
                // only warming up
            }
        });
    }
}
