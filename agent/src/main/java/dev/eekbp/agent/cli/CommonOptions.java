package dev.eekbp.agent.cli;

import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.config.FileSafety;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.ModuleSyscalls;
import dev.eekbp.agent.service.Agent;
import dev.eekbp.agent.service.AgentProcess;
import dev.eekbp.agent.service.RestoreState;
import dev.eekbp.agent.service.RootOwnedFiles;
import dev.eekbp.agent.service.StateFile;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand shares; unset ones come from the options before the subcommand. */
public final class CommonOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Mixin
    GlobalOptions own;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private GlobalOptions global() {
        CommandSpec parent = mixee == null ? null : mixee.parent();
        if (parent != null && parent.userObject() instanceof Main m) {
            return m.global;
        }
        return new GlobalOptions();
    }

    Path config() {
        return own.config != null ? own.config : global().config != null ? global().config
                : GlobalOptions.DEFAULT_CONFIG;
    }

    Path sysfsRoot() {
        return own.sysfsRoot != null ? own.sysfsRoot : global().sysfsRoot != null ? global().sysfsRoot
                : Path.of("/");
    }

    private Path stateFileOption() {
        return own.stateFile != null ? own.stateFile : global().stateFile;
    }

    private boolean insecureConfig() {
        return own.insecureConfig || global().insecureConfig;
    }

    SysfsTree fs() {
        return new SysfsTree(sysfsRoot());
    }

    StateFile state() {
        Path f = stateFileOption();
        return new StateFile(f != null ? f : sysfsRoot().resolve("run/eekbp/state.json"));
    }

    /**
     * Pid of a live agent other than this process, from the restore data; 0
     * when none runs (or the pid now belongs to another program).
     */
    long otherRunningAgent() throws java.io.IOException {
        var st = state().read();
        long pid = st.map(RestoreState::pid).orElse(0L);
        boolean other = pid > 0 && pid != ProcessHandle.current().pid() && AgentProcess.isAgent(st.get());
        return other ? pid : 0;
    }

    boolean realRoot() {
        return sysfsRoot().toAbsolutePath().normalize().equals(Path.of("/"));
    }

    /** The kernel's module syscalls on the real root; a fake tree only gets simulated ones. */
    ModuleSyscalls syscalls() {
        return realRoot() ? ModuleSyscalls.SYSTEM : ModuleSyscalls.tree(fs());
    }

    ConfigLoader loader() {
        return new ConfigLoader(insecureConfig() ? FileSafety.NONE : new RootOwnedFiles());
    }

    Agent agent() {
        return new Agent(fs(), state(), realRoot() ? ModuleProbe.modprobe() : ModuleProbe.NONE, syscalls());
    }
}
