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
import picocli.CommandLine.Option;

/** Options every subcommand shares. */
public final class CommonOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/eekbp/eekbp.toml",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--sysfs-root", paramLabel = "DIR", defaultValue = "/",
            description = "Root under which /sys, /proc and /run are found (tests use a fake tree; default: /).")
    Path sysfsRoot;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Restore data file (default: <sysfs-root>/run/eekbp/state.json).")
    Path stateFile;

    @Option(names = "--insecure-config", hidden = true,
            description = "Skip the owner/mode check of the config file (tests only).")
    boolean insecureConfig;

    SysfsTree fs() {
        return new SysfsTree(sysfsRoot);
    }

    StateFile state() {
        return new StateFile(stateFile != null ? stateFile : sysfsRoot.resolve("run/eekbp/state.json"));
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
        return sysfsRoot.toAbsolutePath().normalize().equals(Path.of("/"));
    }

    /** The kernel's module syscalls on the real root; a fake tree only gets simulated ones. */
    ModuleSyscalls syscalls() {
        return realRoot() ? ModuleSyscalls.SYSTEM : ModuleSyscalls.tree(fs());
    }

    ConfigLoader loader() {
        return new ConfigLoader(insecureConfig ? FileSafety.NONE : new RootOwnedFiles());
    }

    Agent agent() {
        return new Agent(fs(), state(), realRoot() ? ModuleProbe.modprobe() : ModuleProbe.NONE, syscalls());
    }
}
