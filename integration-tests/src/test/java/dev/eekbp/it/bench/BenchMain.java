package dev.eekbp.it.bench;

import dev.eekbp.it.harness.Kernel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Entry point of `make bench`:
 * {@code BenchMain --profile smoke|quick|paper|full --kernel <kver> [--out <dir>] [--modes a,b]};
 * writes results.json, *.csv, report.md and PNG charts into the folder.
 * {@code --modes} replaces the profile's modes (full: all nine; paper and
 * quick: the paper's five), in that order in the first repetition.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        String profile = "full";
        String kver = null;
        Path out = null;
        java.util.List<Mode> modes = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--profile" -> profile = args[i + 1];
                case "--kernel" -> kver = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                case "--modes" -> modes = modes(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (kver == null) {
            usage("--kernel is required");
        }
        Profile p = Profile.named(profile);
        Kernel k = Kernel.of(kver);
        if (out == null) {
            out = k.root().resolve("build/bench").resolve(p.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        try {
            BenchRunner.echoRcvbuf();
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
        System.out.printf("eekbp bench: profile %s, kernel %s, output %s%n", p.name(), kver, out);
        BenchResults r = new BenchRunner(p, k, System.out, modes == null ? p.modes() : modes)
                .run();
        writeReport(r, out);
        System.out.printf("eekbp bench: done in %d s; report %s%n", r.wall().toSeconds(),
                out.resolve("report.md"));
    }

    /** results.json, CSVs, charts and report.md into dir. */
    public static void writeReport(BenchResults r, Path dir) {
        ResultWriters.writeAll(r, dir);
        Map<String, String> charts = Charts.writeAll(r, dir);
        MarkdownReport.write(r, charts, dir.resolve("report.md"));
    }

    private static java.util.List<Mode> modes(String csv) {
        try {
            return java.util.Arrays.stream(csv.split(",")).map(String::strip).map(Mode::byId)
                    .distinct().toList();
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return java.util.List.of();
        }
    }

    private static void usage(String why) {
        System.err.println("eekbp bench: " + why
                + "\nusage: BenchMain --profile smoke|quick|paper|full|trains|rfc|forward-smoke|overload"
                + " --kernel <kver> [--out <dir>] [--modes a,b]");
        System.exit(2);
    }
}
