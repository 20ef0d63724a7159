package dev.eekbp.agent.cli;

import dev.eekbp.agent.bench.StockKnobs;
import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** `eekbp unload`. */
@Command(name = "unload", description = "Disable EE-KBP, restore governors, IRQ affinities and C-state caps from"
        + " the saved restore data (and the kernel knobs an interrupted 'eekbp bench' left), remove the livepatch"
        + " and unload the modules. Stop the daemon first. Exits 0"
        + " (saying so) when nothing is loaded and there is no restore data.")
public final class UnloadCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long pid = common.otherRunningAgent();
        if (pid > 0) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "agent pid " + pid
                    + " is running; stop it instead ('systemctl stop eekbp' or kill -TERM " + pid + ")");
        }
        Config c;
        try {
            c = common.loader().load(common.config()).config();
        } catch (ConfigException e) {
            c = Config.defaults(); // unloading needs no config; the file may be broken or gone
        }
        StockKnobs knobs = new StockKnobs(common.fs(), StockKnobs.restoreFileBeside(common.state().path()));
        if (knobs.pending()) {
            List<String> left = knobs.recover();
            if (!left.isEmpty()) {
                throw new CliException(ExitCode.UNEXPECTED_STATE, "bench knobs not restored:\n  "
                        + String.join("\n  ", left));
            }
            spec.commandLine().getOut().println("restored the kernel knobs an interrupted 'eekbp bench' left ("
                    + knobs.restoreFile() + ")");
        }
        var agent = common.agent();
        if (agent.nothingToUndo()) {
            spec.commandLine().getOut().println("nothing to unload: eekbp is not loaded and there is no restore data"
                    + " (" + common.state().path() + ")");
            return ExitCode.OK.code();
        }
        List<String> problems = agent.unloadWithSavedState(c);
        if (!problems.isEmpty()) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "unload incomplete:\n  "
                    + String.join("\n  ", problems));
        }
        spec.commandLine().getOut().println("eekbp unloaded, CPU settings restored");
        return ExitCode.OK.code();
    }
}
