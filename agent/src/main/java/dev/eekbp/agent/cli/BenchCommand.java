package dev.eekbp.agent.cli;

import dev.eekbp.agent.bench.AgentSwitcher;
import dev.eekbp.agent.bench.BenchMode;
import dev.eekbp.agent.bench.BenchSummary;
import dev.eekbp.agent.bench.CellResult;
import dev.eekbp.agent.bench.ModeBench;
import dev.eekbp.agent.bench.NapiThreadPins;
import dev.eekbp.agent.bench.StockKnobs;
import dev.eekbp.agent.bench.TuningSwitcher;
import dev.eekbp.agent.chart.BenchCharts;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.PowerSources;
import dev.eekbp.agent.telemetry.NicIrqs;
import dev.eekbp.agent.telemetry.TelemetryPaths;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
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
    "Compare receive modes on this machine: per offered rate and repetition, every mode in rotated order is"
        + " switched on (the stock modes with the modules unloaded), left to settle and measured for one cell:"
        + " received packets, NET_RX softirqs and hardIRQs, poll-thread wakes and CPU time, served-CPU busy"
        + " share, frequency changes and residency, energy from RAPL or IPMI, each also per packet, and with"
        + " --target UDP round trips to an echo server.",
    "Stock peers: threaded (threaded NAPI), threaded-defer (plus napi_defer_hard_irqs=2,"
        + " gro_flush_timeout=20000), busy-read (net.core.busy_read=busy_poll=50). Their knobs are saved"
        + " before and restored after every cell (also on Ctrl-C; after a crash by the next bench or"
        + " 'eekbp unload').",
    "CPUs, devices and module directory come from --config. Stop the eekbp service first; the machine is"
        + " restored at the end. For the QEMU matrix of docs/bench/ use 'make bench' in the source tree."})
public final class BenchCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    @Mixin
    CommonOptions common;

    @Option(names = "--modes", paramLabel = "LIST", defaultValue = "napi,threaded,threaded-defer,busy-read,kbp,"
            + "eekbp,eekbp-freq,adaptive,adaptive-freq",
            description = "Comma-separated modes, run in this order (rotated per repetition) (default: all,"
                    + " ${DEFAULT-VALUE}).")
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

    @Option(names = "--rate", paramLabel = "PPS[,PPS...]", defaultValue = "100",
            description = "Round trips per second, 1..10000; several rates run the whole plan once per rate"
                    + " (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every cell as JSON to FILE.")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also write PNG charts of the cells to DIR (as 'eekbp plot' does from --json files).")
    Path plot;

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
                    lc.config().telemetry().probeTarget(), plan.ratesPps());
        }
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            throw new CliException(ExitCode.BAD_INPUT, "--json: folder " + json.getParent() + " does not exist");
        }
        if (plot != null && Files.exists(plot) && !Files.isDirectory(plot)) {
            throw new CliException(ExitCode.BAD_INPUT, "--plot: " + plot + " is a file, not a folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean real = common.sysfsRoot().toAbsolutePath().normalize().equals(Path.of("/"));
        TelemetryPaths paths = real ? TelemetryPaths.system() : TelemetryPaths.under(common.sysfsRoot());
        List<String> devices = NicIrqs.netdevs(paths.sysClassNet(), lc.config().kernel().devices());
        SysfsTree fs = common.fs();
        List<String> missing = StockKnobs.missing(fs, plan.modes(), devices);
        if (!missing.isEmpty()) {
            throw new CliException(ExitCode.UNEXPECTED_STATE, "this kernel lacks knobs the modes set ("
                    + String.join("; ", missing) + "); drop those modes from --modes");
        }
        StockKnobs knobs = new StockKnobs(fs, StockKnobs.restoreFileBeside(common.state().path()));
        if (knobs.pending()) {
            List<String> left = knobs.recover();
            if (!left.isEmpty()) {
                throw new CliException(ExitCode.UNEXPECTED_STATE, "an earlier bench left knobs that cannot be"
                        + " restored: " + String.join("; ", left));
            }
            out.println("eekbp bench: restored the knobs an earlier bench left in " + knobs.restoreFile());
        }
        var telemetry = lc.config().telemetry();
        List<PowerSource> power = real ? PowerSources.open(telemetry.rapl(), telemetry.ipmi()) : List.of();
        String traffic = plan.target().isPresent() ? "round trips to " + plan.target().get() + " at "
                + plan.ratesPps() + "/s" : "no traffic (idle cells)";
        out.printf("eekbp bench: %d modes x %d repetitions of %s (+%s settle), %s, devices %s%n",
                plan.modes().size(), plan.reps(), cell, settle, traffic, devices);
        BitSet served = new BitSet();
        lc.config().kernel().cpus().stream().forEach(served::set);
        // threads of a generated tree are not this machine's: pin only on the real /proc
        var pins = new NapiThreadPins(paths.proc(), real ? devices : List.of(), served);
        var switcher = new TuningSwitcher(new AgentSwitcher(common.agent(), lc), knobs, devices, pins);
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
            if (plot != null) {
                String release = Files.readString(paths.proc().resolve("sys/kernel/osrelease")).strip();
                PlotCommand.write(BenchCharts.parse(List.of(BenchSummary.json(plan, release, s.unavailable(),
                        cells))), plot, out);
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
        List<Integer> rates = new ArrayList<>();
        for (String r : rate.split(",", -1)) {
            int v;
            try {
                v = Integer.parseInt(r.strip());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 1 || v > 10_000) {
                throw bad("--rate must be round trips per second in 1..10000, comma-separated, got '" + r + "'");
            }
            if (rates.contains(v)) {
                throw bad("--rate lists " + v + " twice");
            }
            rates.add(v);
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
                rates);
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
