package dev.eekbp.agent.cli;

import dev.eekbp.agent.service.Daemon;
import dev.eekbp.agent.service.Notifier;
import dev.eekbp.agent.service.TelemetryAdapter;
import dev.eekbp.agent.service.TelemetryHook;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `eekbp run`: the daemon. */
@Command(name = "run", description = "Load and configure EE-KBP, then follow config changes (file change or"
        + " SIGHUP) until SIGTERM, which restores the CPUs and unloads the modules.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--no-telemetry", description = "Run without the telemetry service.")
    boolean noTelemetry;

    @Override
    public Integer call() throws Exception {
        Notifier notifier = Notifier.fromEnvironment(System.getenv());
        TelemetryHook.Factory telemetry = noTelemetry ? TelemetryHook.NONE
                : TelemetryAdapter.factory(common.sysfsRoot);
        new Daemon(common.agent(), common.loader(), common.config, notifier, telemetry).run();
        return ExitCode.OK.code();
    }
}
