package dev.eekbp.it.bench;

import dev.eekbp.it.harness.ExecResult;
import dev.eekbp.it.harness.Guest;
import dev.eekbp.it.harness.GuestResult;
import dev.eekbp.it.harness.GuestSpec;
import dev.eekbp.it.harness.Kernel;
import dev.eekbp.it.harness.Nic;
import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `make bench-compete`: the paper's softIRQ competition in one guest
 * (guest/bench/compete.sh). Per step the host sends a UDP flood (the load)
 * and low-rate round trips (the probe) while a CPU-bound task runs on the
 * served CPU; the guest records counters (NET_RX, time_squeeze, ksoftirqd/0
 * and poll-thread CPU) and the in-guest latency instrument's histograms.
 * Prints one table of medians over the repetitions and writes it to
 * &lt;out&gt;/README.md. Arguments: out-dir [kernel]; properties
 * compete.pps (flood rate, default 4000), compete.seconds (step, 6),
 * compete.reps (3), compete.modes.
 */
public final class CompetitionBench {

    private static final Pattern PCT = Pattern.compile("percentile (50|99)\\.000 =\\s*([0-9.]+)");
    private static final Pattern LOST = Pattern.compile("# dropped messages = (\\d+)");

    private CompetitionBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CompetitionBench <out-dir> [kernel]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Kernel k = (args.length > 1 ? Kernel.of(args[1]) : Kernel.matrix().getLast()).requireBuilt();
        int pps = Integer.getInteger("compete.pps", 4000);
        int secs = Integer.getInteger("compete.seconds", 6);
        int reps = Integer.getInteger("compete.reps", 3);
        String modes = System.getProperty("compete.modes", "napi threaded eekbp eekbp-fifo adaptive kbp");
        int steps = reps * modes.split("\\s+").length;
        GuestSpec spec = GuestSpec.builder(k).name("compete")
                .script(Files.readString(Kernel.repoRoot()
                        .resolve("integration-tests/src/test/resources/guest/bench/compete.sh")))
                .smp(2).memoryMb(1024).nic(Nic.VIRTIO)
                .env("COMPETE_MODES", modes).env("COMPETE_REPS", Integer.toString(reps))
                .timeout(Duration.ofSeconds(300L + steps * (secs + 60L))).build();
        System.out.printf("eekbp bench-compete: %s, modes [%s] x %d, flood %d pps, %d s steps%n", k, modes, reps,
                pps, secs);
        Map<String, List<Double>> probe = new LinkedHashMap<>();
        GuestResult r;
        try (RunningGuest g = Guest.start(spec)) {
            for (int n = 0; ; n++) {
                Path ask = g.results().resolve("traffic-" + n);
                while (!Files.exists(ask) && g.isAlive() && !Files.exists(g.results().resolve("done"))) {
                    Thread.sleep(200);
                }
                if (!Files.exists(ask)) {
                    break;
                }
                String label = Files.readString(ask).strip();
                System.out.printf("  step %d/%d: %s%n", n + 1, steps, label);
                Path floodLog = g.results().resolve("flood-" + n + ".txt");
                Process flood = g.hostSpawn(floodLog, "sockperf", "throughput", "-i", g.guestAddress(), "-p",
                        "9", "-m", "64", "-t", Integer.toString(secs + 1), "--mps", Integer.toString(pps));
                Thread.sleep(500);
                // under-load: a lost probe costs one sample, not the rest of the run
                ExecResult p = g.hostExec(Duration.ofSeconds(secs + 60L), "sockperf", "under-load", "-i",
                        g.guestAddress(), "-p", "11111", "-t", Integer.toString(secs - 1), "--mps", "100",
                        "--reply-every", "1");
                flood.waitFor();
                Files.writeString(g.results().resolve("probe-" + n + ".txt"), p.stdout() + p.stderr());
                Matcher lost = LOST.matcher(p.stdout());
                if (lost.find()) {
                    probe.computeIfAbsent(label.split(" ")[0] + " lost", x -> new ArrayList<>())
                            .add(Double.parseDouble(lost.group(1)));
                }
                Matcher m = PCT.matcher(p.stdout());
                while (m.find()) {
                    probe.computeIfAbsent(label.split(" ")[0] + " p" + m.group(1), x -> new ArrayList<>())
                            .add(Double.parseDouble(m.group(2)));
                }
                Files.writeString(g.results().resolve("traffic-" + n + "-done"), "");
            }
            r = g.await();
        }
        String report = report(k, pps, secs, reps, modes, r, probe);
        Files.createDirectories(out);
        Files.writeString(out.resolve("README.md"), report);
        System.out.println(report);
        System.out.println("eekbp bench-compete: " + r + "; report " + out.resolve("README.md"));
        System.exit(r.exitCode() == 0 && !r.timedOut() ? 0 : 1);
    }

    private static String report(Kernel k, int pps, int secs, int reps, String modes, GuestResult r,
            Map<String, List<Double>> probe) throws IOException {
        Map<String, Map<String, List<Double>>> counters = new LinkedHashMap<>();
        Path lines = r.path("compete.txt");
        if (Files.isRegularFile(lines)) {
            for (String line : Files.readAllLines(lines)) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (String w : line.trim().split("\\s+")) {
                    int eq = w.indexOf('=');
                    if (eq > 0) {
                        kv.put(w.substring(0, eq), w.substring(eq + 1));
                    }
                }
                String mode = kv.remove("mode");
                String rep = kv.remove("rep");
                Map<String, List<Double>> c = counters.computeIfAbsent(mode, x -> new LinkedHashMap<>());
                kv.forEach((key, v) -> c.computeIfAbsent(key, x -> new ArrayList<>()).add(Double.parseDouble(v)));
                LatencyHist h = LatencyHist.read(r.path("lat-" + mode + "-" + rep + "/irq2sock"));
                c.computeIfAbsent("irq2sock_p50", x -> new ArrayList<>()).add(h.percentile(50));
                c.computeIfAbsent("irq2sock_p99", x -> new ArrayList<>()).add(h.percentile(99));
                c.computeIfAbsent("irq_samples", x -> new ArrayList<>()).add((double) h.total());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("# softIRQ competition, ").append(k.version()).append("\n\n")
                .append(String.format("Flood %d pps (64 B UDP to a closed port), probe 100 round trips/s (sockperf under-load),"
                        + " a nice-0 CPU-bound task on CPU 0 (IRQs, served CPU); %d s steps, modes [%s] x %d"
                        + " interleaved. Medians over the repetitions (min-max in brackets). Ticks are"
                        + " USER_HZ (10 ms) of CPU time in the step.%n%n", pps, secs, modes, reps))
                .append("| mode | host probe p50 us | host probe p99 us | probes lost | irq->socket p50 us"
                        + " | irq->socket p99 us | IRQ samples | step ms | NET_RX | time_squeeze"
                        + " | ksoftirqd/0 ticks | poll thread ticks | CPU task ticks | softnet drops"
                        + " | UDP rcvbuf errors |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String mode : modes.split("\\s+")) {
            Map<String, List<Double>> c = counters.getOrDefault(mode, Map.of());
            b.append("| ").append(mode);
            b.append(" | ").append(cell(probe.get(mode + " p50")));
            b.append(" | ").append(cell(probe.get(mode + " p99")));
            b.append(" | ").append(cell(probe.get(mode + " lost")));
            for (String key : List.of("irq2sock_p50", "irq2sock_p99", "irq_samples", "ms", "netrx", "squeeze",
                    "ksoftirqd", "poll", "hog", "dropped", "udp_rcvbuf_errors")) {
                b.append(" | ").append(cell(c.get(key)));
            }
            b.append(" |\n");
        }
        b.append("\nGuest: ").append(r).append("\n");
        return b.toString();
    }

    private static String cell(List<Double> v) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        Spread s = Spread.of(v);
        return s.present() ? String.format("%.0f [%.0f-%.0f]", s.median(), s.min(), s.max()) : "-";
    }
}
