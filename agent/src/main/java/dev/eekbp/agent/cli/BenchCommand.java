package dev.eekbp.agent.cli;

import dev.eekbp.agent.bench.AgentSwitcher;
import dev.eekbp.agent.bench.BenchMode;
import dev.eekbp.agent.bench.BenchSummary;
import dev.eekbp.agent.bench.CellResult;
import dev.eekbp.agent.bench.ModeBench;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.PowerSources;
import dev.eekbp.agent.telemetry.TelemetryPaths;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `eekbp bench`: compare the receive modes on this machine, with its own power sources. */
@Command(name = "bench", description = {
    "Compare receive modes on this machine: per repetition, every mode in rotated order is switched on"
        + " (stock NAPI = modules unloaded), left to settle and measured for one cell: NET_RX softirqs and"
        + " hardIRQs, poll-thread wakes and CPU time, served-CPU busy share, frequency changes and"
        + " residency, energy from RAPL or IPMI, and with --target UDP round trips to an echo server.",
    "CPUs, devices and module directory come from --config. Stop the eekbp service first; the machine is"
        + " restored at the end. For the QEMU matrix of docs/bench/ use 'make bench' in the source tree."})
public final class BenchCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    @Mixin
    CommonOptions common;

    @Option(names = "--modes", paramLabel = "LIST", defaultValue = "napi,kbp,eekbp,eekbp-freq",
            description = "Comma-separated modes out of napi, kbp, eekbp, eekbp-freq (default: ${DEFAULT-VALUE}).")
    String modes;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "3",
            description = "Repetitions, 1..100 (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--cell", paramLabel = "DURATION", defaultValue = "10s",
            description = "Measured time per mode and repetition, 1s..1h, e.g. 30s or 2m (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "2s",
            description = "Wait after switching before measuring, 0..10m (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "UDP echo server for round trips (default: telemetry.probe_target of the config;"
                    + " none = idle cells).")
    String target;

    @Option(names = "--rate", paramLabel = "PPS", defaultValue = "100",
            description = "Round trips per second, 1..10000 (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every cell as JSON to FILE.")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModeBench.Plan plan = plan();
        long pid = common.otherRunningAgent();
        if (pid > 0) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "agent pid " + pid + " is running; the bench switches"
                    + " modes itself: stop the service first ('systemctl stop eekbp')");
        }
        LoadedConfig lc = common.loader().load(common.config());
        if (plan.target().isEmpty() && lc.config().telemetry().probeTarget().isPresent()) {
            plan = new ModeBench.Plan(plan.modes(), plan.reps(), plan.cell(), plan.settle(),
                    lc.config().telemetry().probeTarget(), plan.probeInterval());
        }
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            throw new CliException(ExitCode.BAD_INPUT, "--json: folder " + json.getParent() + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean real = common.sysfsRoot().toAbsolutePath().normalize().equals(Path.of("/"));
        TelemetryPaths paths = real ? TelemetryPaths.system() : TelemetryPaths.under(common.sysfsRoot());
        var telemetry = lc.config().telemetry();
        List<PowerSource> power = real ? PowerSources.open(telemetry.rapl(), telemetry.ipmi()) : List.of();
        out.printf("eekbp bench: %d modes x %d repetitions of %s (+%s settle), %s%n", plan.modes().size(),
                plan.reps(), cell, settle, plan.target().map(t -> "round trips to " + t + " at " + rate + "/s")
                        .orElse("no traffic (idle cells)"));
        var switcher = new AgentSwitcher(common.agent(), lc);
        // Ctrl-C or SIGTERM: the JVM runs this before exiting, so the machine is restored
        Thread hook = new Thread(() -> {
            switcher.abort();
            switcher.restore().forEach(p -> System.err.println("eekbp bench: while restoring: " + p));
        }, "eekbp-bench-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ModeBench s = ModeBench.open(plan, switcher, paths, power, lc.config().kernel().cpus(),
                lc.config().kernel().devices(), out)) {
            s.unavailable().forEach(u -> out.println("eekbp bench: not measured: " + u));
            List<CellResult> cells = s.run();
            out.println();
            BenchSummary.table(plan.modes(), cells).forEach(out::println);
            if (json != null) {
                String release = Files.readString(paths.proc().resolve("sys/kernel/osrelease")).strip();
                Files.writeString(json, BenchSummary.json(plan, release, s.unavailable(), cells));
                out.println("eekbp bench: cells written to " + json);
            }
        } finally {
            power.forEach(PowerSource::close);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook restores
            }
        }
        return ExitCode.OK.code();
    }

    /** Validates every option before anything on the machine changes. */
    ModeBench.Plan plan() throws CliException {
        List<BenchMode> list;
        try {
            list = BenchMode.parseList(modes);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        if (reps < 1 || reps > 100) {
            throw bad("--reps must be in 1..100, got " + reps);
        }
        if (rate < 1 || rate > 10_000) {
            throw bad("--rate must be in 1..10000 round trips per second, got " + rate);
        }
        Duration c = duration("--cell", cell);
        if (c.compareTo(Duration.ofSeconds(1)) < 0 || c.compareTo(Duration.ofHours(1)) > 0) {
            throw bad("--cell must be between 1s and 1h, got " + cell);
        }
        Duration st = duration("--settle", settle);
        if (st.compareTo(Duration.ofMinutes(10)) > 0) {
            throw bad("--settle must be at most 10m, got " + settle);
        }
        return new ModeBench.Plan(list, reps, c, st, target == null ? Optional.empty() : Optional.of(address()),
                Duration.ofNanos(1_000_000_000L / rate));
    }

    private static Duration duration(String option, String text) throws CliException {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw bad(option + " must be a number with ms, s or m (e.g. 10s), got '" + text + "'");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw bad(option + " is too large: " + text);
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(Math.min(n, 1L << 40));
            default -> Duration.ofMinutes(Math.min(n, 1L << 30));
        };
    }

    private InetSocketAddress address() throws CliException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw bad("--target must be HOST:PORT, got '" + target + "'");
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw bad("--target port must be in 1..65535, got '" + target.substring(colon + 1) + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw bad("--target host '" + host + "' does not resolve");
        }
    }

    private static CliException bad(String message) {
        return new CliException(ExitCode.BAD_INPUT, message);
    }
}
