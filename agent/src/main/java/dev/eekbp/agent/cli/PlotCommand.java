package dev.eekbp.agent.cli;

import dev.eekbp.agent.chart.BenchCharts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `eekbp plot`: PNG charts from `eekbp bench --json` files. */
@Command(name = "plot", description = {
    "Write PNG charts from 'eekbp bench --json' files: one per metric (round trips, hardIRQs, NET_RX softirqs,"
        + " wakes, frequency changes and poll-thread CPU per packet, busy share, watts, energy per packet),"
        + " bars per mode, or lines over the offered rate when the cells have several rates (one run with"
        + " --rate A,B, or several files). Metrics nobody measured are skipped."})
public final class PlotCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true,
            description = "Folder for the PNG files (created if missing).")
    Path out;

    @Parameters(paramLabel = "JSON", arity = "1..*", description = "Files written by 'eekbp bench --json'.")
    List<Path> files;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> docs = new ArrayList<>();
        for (Path f : files) {
            try {
                docs.add(Files.readString(f));
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCode.BAD_INPUT, "no such file: " + f);
            }
        }
        BenchCharts.Cells cells;
        try {
            cells = BenchCharts.parse(docs);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, "not an 'eekbp bench --json' file: " + e.getMessage());
        }
        write(cells, out, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /** Writes the charts and says what it wrote; shared with `eekbp bench --plot`. */
    static void write(BenchCharts.Cells cells, Path dir, PrintWriter out) throws IOException {
        List<Path> written = BenchCharts.write(cells, dir);
        out.printf("eekbp plot: %d charts of %d cells (%d modes, rates %s) in %s%n", written.size(),
                cells.cells().size(), cells.modes().size(), cells.rates(), dir);
        List<String> empty = BenchCharts.empty(cells);
        if (!empty.isEmpty()) {
            out.println("eekbp plot: not charted (no values): " + String.join(", ", empty));
        }
    }
}
