package dev.eekbp.agent.cli;

import dev.eekbp.agent.kernel.Uapi;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Spec;

/** `eekbp version`. */
@Command(name = "version", description = "Print agent version, kernel ABI version and Java version.")
public final class VersionCommand implements Callable<Integer> {
    public static final String VERSION = dev.eekbp.agent.Version.VERSION;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static String text() {
        return "eekbp " + VERSION + " (kernel ABI " + Uapi.ABI_VERSION + ", Java " + Runtime.version() + ")";
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(text());
        return ExitCode.OK.code();
    }

    /** For --version. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {text()};
        }
    }
}
