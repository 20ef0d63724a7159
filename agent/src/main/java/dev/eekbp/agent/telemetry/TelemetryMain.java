package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.config.TelemetryConfig;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Diagnostic entry point: runs the telemetry service alone for a while and
 * prints its own cost as one JSON object per interval, run one after the
 * other in this JVM (CPU seconds, CPU share of one core, RSS, samples).
 *
 * <pre>java -cp eekbp-agent-all.jar dev.eekbp.agent.telemetry.TelemetryMain
 *     [--interval-ms 1000[,100...]] [--seconds 30] [--root DIR] [--rapl auto] [--ipmi auto]
 *     [--jsonl FILE] [--listen 127.0.0.1:0] [--probe host:port] [--powercap DIR]</pre>
 * --root reads proc/ and sys/ under DIR instead of / and --powercap reads RAPL
 * zones from DIR (generated trees, for cost measurements).
 */
public final class TelemetryMain {
    private TelemetryMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        long[] intervals = {1000};
        long seconds = 30;
        TelemetryPaths paths = TelemetryPaths.system();
        String rapl = "auto";
        String ipmi = "auto";
        Optional<Path> jsonl = Optional.empty();
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        Optional<InetSocketAddress> probe = Optional.empty();
        Path powercap = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--interval-ms" -> intervals = java.util.Arrays.stream(v.split(","))
                        .mapToLong(Long::parseLong).toArray();
                case "--seconds" -> seconds = Long.parseLong(v);
                case "--root" -> paths = TelemetryPaths.under(Path.of(v));
                case "--rapl" -> rapl = v;
                case "--ipmi" -> ipmi = v;
                case "--jsonl" -> jsonl = Optional.of(Path.of(v));
                case "--listen" -> listen = hostPort(v);
                case "--probe" -> probe = Optional.of(hostPort(v));
                case "--powercap" -> powercap = Path.of(v);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<PowerSource> power = powercap == null ? null : List.of(new PowercapSource(powercap));
        for (long intervalMs : intervals) {
            TelemetryConfig cfg = new TelemetryConfig(Duration.ofMillis(intervalMs), true, listen, jsonl, rapl,
                    ipmi, probe, Duration.ofMillis(100));
            System.out.println(run(cfg, paths, power, seconds));
            if (powercap != null) {
                power = List.of(new PowercapSource(powercap)); // the service closed the previous one
            }
        }
    }

    /** Runs the service for the given time and returns its cost as JSON. */
    static String run(TelemetryConfig cfg, TelemetryPaths paths, List<PowerSource> power, long seconds)
            throws IOException, InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (TelemetryService s = new TelemetryService(cfg, paths, List.of(), power)) {
            s.start();
            Thread.sleep(Math.min(5_000, seconds * 1000 / 4)); // let start-up settle
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long samples0 = s.snapshot().samples();
            Thread.sleep(seconds * 1000);
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            TelemetrySnapshot snap = s.snapshot();
            StringBuilder b = new StringBuilder("{");
            Json.field(b, "interval_ms").append(cfg.interval().toMillis());
            Json.field(b, "seconds");
            Json.number(b, wall / 1e9);
            Json.field(b, "samples").append(snap.samples() - samples0);
            Json.field(b, "cpu_seconds");
            Json.number(b, cpu / 1e9);
            Json.field(b, "cpu_percent_of_core");
            Json.number(b, 100.0 * cpu / wall);
            Json.field(b, "rss_mb");
            Json.number(b, rssKb() / 1024.0);
            Json.field(b, "unavailable").append('[');
            for (int i = 0; i < snap.unavailable().size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                Json.string(b, snap.unavailable().get(i));
            }
            return b.append("]}").toString();
        }
    }

    private static InetSocketAddress hostPort(String v) {
        int c = v.lastIndexOf(':');
        return new InetSocketAddress(v.substring(0, c), Integer.parseInt(v.substring(c + 1)));
    }

    /** VmRSS of this process from /proc/self/status, in kB (-1 if unknown). */
    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
