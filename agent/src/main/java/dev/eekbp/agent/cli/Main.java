package dev.eekbp.agent.cli;

import dev.eekbp.agent.bench.BenchException;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.cpu.CpuException;
import dev.eekbp.agent.kernel.KernelException;
import dev.eekbp.agent.log.JournalLog;
import dev.eekbp.agent.service.Warmup;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the eekbp agent. */
@Command(name = "eekbp", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Energy-efficient kernel busy poll: loads, configures and watches the EE-KBP kernel modules.",
        subcommands = {RunCommand.class, StatusCommand.class, CheckCommand.class, ApplyCommand.class,
            UnloadCommand.class, PowerCommand.class, BenchCommand.class, PlotCommand.class, VersionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:bad input (config, arguments)", "3:unexpected system state",
            "4:internal error"})
public final class Main {
    @picocli.CommandLine.Mixin
    GlobalOptions global;

    private Main() {
    }

    /** The command line with exit-code mapping; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult pr) {
        PrintWriter err = cl.getErr();
        ExitCode code;
        String msg = e.getMessage();
        if (e instanceof CliException ce) {
            code = ce.exitCode();
        } else if (e instanceof ConfigException) {
            code = ExitCode.BAD_INPUT;
            msg = "invalid configuration:\n" + msg;
        } else if (e instanceof KernelException || e instanceof CpuException || e instanceof BenchException
                || e instanceof java.io.IOException) {
            code = ExitCode.UNEXPECTED_STATE;
        } else {
            code = ExitCode.INTERNAL;
            e.printStackTrace(err);
            msg = "internal error: " + e;
        }
        err.println("eekbp: " + msg);
        err.flush();
        return code.code();
    }

    public static void main(String[] args) {
        JournalLog.install(System.getenv());
        if (args.length > 0 && args[0].equals("run")) {
            Warmup.start();
        }
        System.exit(commandLine().execute(args));
    }
}
