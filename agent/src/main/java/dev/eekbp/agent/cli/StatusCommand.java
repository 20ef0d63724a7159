package dev.eekbp.agent.cli;

import dev.eekbp.agent.service.StatusReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `eekbp status`. */
@Command(name = "status", description = "Show module, livepatch, settings, statistics, restore data and CPUs."
        + " Exits 3 when EE-KBP is not running.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--no-inventory", description = "Skip the CPU inventory (OSHI).")
    boolean noInventory;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StatusReport.Result r = StatusReport.collect(common.fs(), common.state(), !noInventory);
        r.lines().forEach(spec.commandLine().getOut()::println);
        return r.running() ? ExitCode.OK.code() : ExitCode.UNEXPECTED_STATE.code();
    }
}
