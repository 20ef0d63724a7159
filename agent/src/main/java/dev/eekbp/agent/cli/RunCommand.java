package dev.eekbp.agent.cli;

import dev.eekbp.agent.service.Daemon;
import dev.eekbp.agent.service.Notifier;
import dev.eekbp.agent.service.TelemetryHook;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `eekbp run`: the daemon. */
@Command(name = "run", description = "Load and configure EE-KBP, then follow config changes (file change or"
        + " SIGHUP) until SIGTERM, which restores the CPUs and unloads the modules.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Notifier notifier = Notifier.fromEnvironment(System.getenv());
        new Daemon(common.agent(), common.loader(), common.config, notifier, Telemetry.factory()).run();
        return ExitCode.OK.code();
    }

    /** Telemetry plug-in point; see {@link TelemetryHook}. */
    static final class Telemetry {
        private Telemetry() {
        }

        static TelemetryHook.Factory factory() {
            return TelemetryHook.NONE;
        }
    }
}
