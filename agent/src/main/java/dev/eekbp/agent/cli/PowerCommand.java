package dev.eekbp.agent.cli;

import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.PowerSources;
import dev.eekbp.agent.telemetry.PowerProbeMain;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `eekbp power`: read the power sources once (like `ipmitool dcmi power reading`). */
@Command(name = "power", description = "Read every power source twice, 100 ms apart, and print one JSON object"
        + " per source (energy, power, or why it is unavailable). Exits 0 when one is available, 3 when none.")
public final class PowerCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--rapl", paramLabel = "SOURCE", defaultValue = "auto",
            description = "auto | powercap | msr | off (default: ${DEFAULT-VALUE}).")
    String rapl;

    @Option(names = "--ipmi", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto | off | a device path such as /dev/ipmi0 (default: ${DEFAULT-VALUE}).")
    String ipmi;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!List.of("auto", "powercap", "msr", "off").contains(rapl)) {
            throw new CliException(ExitCode.BAD_INPUT, "--rapl must be auto, powercap, msr or off, got '" + rapl + "'");
        }
        if (!ipmi.equals("auto") && !ipmi.equals("off") && !ipmi.startsWith("/dev/")) {
            throw new CliException(ExitCode.BAD_INPUT, "--ipmi must be auto, off or a /dev path, got '" + ipmi + "'");
        }
        List<PowerSource> sources = PowerSources.open(rapl, ipmi);
        PrintWriter out = spec.commandLine().getOut();
        try {
            boolean any = false;
            for (String line : PowerProbeMain.readAll(sources)) {
                out.println(line);
            }
            for (PowerSource s : sources) {
                any |= s.availability().available();
            }
            return any ? ExitCode.OK.code() : ExitCode.UNEXPECTED_STATE.code();
        } finally {
            sources.forEach(PowerSource::close);
        }
    }
}
