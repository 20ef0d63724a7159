package dev.eekbp.agent.cli;

import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.service.DryRun;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** `eekbp check`: validate only, for scripts and config management (like `nginx -t`). */
@Command(name = "check", description = "Validate the config file and check it against this machine (CPUs online,"
        + " devices present, module files found, power sources it names explicitly present) without changing"
        + " anything. Exits 0 when valid, 2 when the file is invalid, 3 when this machine cannot run it.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig lc = common.loader().load(common.config());
        DryRun.Plan plan = DryRun.plan(lc, common.fs());
        failOnErrors(plan);
        spec.commandLine().getOut().println("eekbp: " + common.config() + " is valid for this machine");
        return ExitCode.OK.code();
    }

    /** Exit 3 listing what on this machine stands in the config's way. */
    static void failOnErrors(DryRun.Plan plan) throws CliException {
        if (!plan.errors().isEmpty()) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "this machine cannot apply the config:\n  "
                    + String.join("\n  ", plan.errors()));
        }
    }
}
