package dev.eekbp.agent.cli;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.service.StatusReport;
import dev.eekbp.agent.service.TelemetryAdapter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `eekbp status`. */
@Command(name = "status", description = "Show module, livepatch, settings, statistics, restore data and CPUs."
        + " Exits 3 when EE-KBP is not running or unhealthy (livepatch disabled or replaced).")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--no-inventory", description = "Skip the CPU inventory (OSHI).")
    boolean noInventory;

    @Option(names = "--telemetry", description = "Also sample telemetry once (takes one interval).")
    boolean telemetry;

    @Option(names = "--json", description = "Print one JSON object (module, livepatch, running, problem, agent,"
            + " restore data, CPUs) instead of text; no inventory or telemetry.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StatusReport.Result r = StatusReport.collect(common.fs(), common.state(), !noInventory && !json);
        if (json) {
            spec.commandLine().getOut().println(r.json());
            return r.running() ? ExitCode.OK.code() : ExitCode.UNEXPECTED_STATE.code();
        }
        r.lines().forEach(spec.commandLine().getOut()::println);
        if (telemetry) {
            try {
                Config c;
                try {
                    c = common.loader().load(common.config()).config();
                } catch (ConfigException e) {
                    c = Config.defaults();
                }
                TelemetryAdapter.once(c, common.sysfsRoot()).forEach(spec.commandLine().getOut()::println);
            } catch (Exception e) {
                spec.commandLine().getOut().println("telemetry: unavailable: " + e.getMessage());
            }
        }
        return r.running() ? ExitCode.OK.code() : ExitCode.UNEXPECTED_STATE.code();
    }
}
