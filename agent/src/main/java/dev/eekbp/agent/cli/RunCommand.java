package dev.eekbp.agent.cli;

import dev.eekbp.agent.ffi.Posix;
import dev.eekbp.agent.service.Agent;
import dev.eekbp.agent.service.Daemon;
import dev.eekbp.agent.service.Notifier;
import dev.eekbp.agent.service.TelemetryAdapter;
import dev.eekbp.agent.service.TelemetryHook;
import java.util.List;
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
        Agent agent = common.agent();
        TelemetryHook.Factory telemetry = noTelemetry ? TelemetryHook.NONE
                : TelemetryAdapter.factory(common.sysfsRoot(), agent::irqOverrides);
        Daemon d = new Daemon(agent, common.loader(), common.config(), notifier, telemetry);
        // SIGTERM/SIGINT stop the daemon, which then exits 0 (a JVM killed by SIGTERM exits 143)
        Posix.onStopSignals(d::requestStop);
        List<String> problems = d.run();
        if (!problems.isEmpty()) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "stopped with problems (restore data kept in "
                    + common.state().path() + " for 'eekbp unload'):\n  " + String.join("\n  ", problems));
        }
        return ExitCode.OK.code();
    }
}
