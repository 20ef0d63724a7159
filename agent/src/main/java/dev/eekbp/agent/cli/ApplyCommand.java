package dev.eekbp.agent.cli;

import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.ffi.Posix;
import dev.eekbp.agent.service.AgentProcess;
import dev.eekbp.agent.service.DryRun;
import dev.eekbp.agent.service.RestoreState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `eekbp apply`: validate a config, show what it changes, and ask the running agent to reload it. */
@Command(name = "apply", description = "Validate the config and list what it would change against the running"
        + " kernel state; without --dry-run, also signal the running agent (SIGHUP) to apply it.")
public final class ApplyCommand implements Callable<Integer> {
    private static final int SIGHUP = 1;

    @Mixin
    CommonOptions common;

    @Option(names = "--dry-run", description = "Only show the changes.")
    boolean dryRun;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig lc = common.loader().load(common.config());
        DryRun.Plan plan = DryRun.plan(lc, common.fs());
        var out = spec.commandLine().getOut();
        if (plan.changes().isEmpty()) {
            out.println("no changes: the running state matches " + common.config());
        } else {
            plan.changes().forEach(out::println);
        }
        CheckCommand.failOnErrors(plan);
        if (dryRun) {
            return ExitCode.OK.code();
        }
        Optional<RestoreState> st = common.state().read();
        long pid = st.map(RestoreState::pid).orElse(0L);
        if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "no running agent found (state file "
                    + common.state().path() + "); start it with 'systemctl start eekbp' or 'eekbp run'");
        }
        if (!AgentProcess.isAgent(st.get())) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "pid " + pid + " named by " + common.state().path()
                    + " is not the eekbp agent (the agent died and the pid was reused); not signalling it."
                    + " Start the agent with 'systemctl start eekbp'");
        }
        if (!Posix.kill(pid, SIGHUP)) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "cannot signal agent pid " + pid
                    + " (needs root)");
        }
        out.println("asked agent pid " + pid + " to reload");
        return ExitCode.OK.code();
    }
}
