package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per sample to a file (JSON Lines): time, power per
 * source and domain, kernel totals, derived figures and probe quantiles.
 * {@link #reopen} starts a new file after logrotate moved the old one away.
 */
public final class JsonLinesExporter implements AutoCloseable {
    private final Path path;
    private Writer out;
    private final StringBuilder line = new StringBuilder(1024);

    public JsonLinesExporter(Path path) throws IOException {
        this.path = path;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        this.out = open(path);
    }

    private static Writer open(Path path) throws IOException {
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Closes the file and opens {@link #path} again (a new file if it was renamed). */
    public synchronized void reopen() throws IOException {
        Writer next = open(path);
        Writer old = out;
        out = next;
        old.close();
    }

    public Path path() {
        return path;
    }

    /** Writes one line for the sampler's latest values and flushes it. */
    public synchronized void write(TelemetrySnapshot s) throws IOException {
        line.setLength(0);
        line.append('{');
        Json.field(line, "time");
        Json.string(line, s.time().toString());
        Json.field(line, "samples").append(s.samples());
        Json.field(line, "power").append('[');
        for (TelemetrySnapshot.PowerDomain p : s.power()) {
            if (line.charAt(line.length() - 1) != '[') {
                line.append(',');
            }
            line.append('{');
            Json.field(line, "source");
            Json.string(line, p.source());
            Json.field(line, "domain");
            Json.string(line, p.domain());
            Json.field(line, "available").append(p.available());
            if (p.available()) {
                Json.field(line, "energy_joules");
                Json.number(line, p.energy().joules());
                Json.field(line, "power_watts");
                Json.number(line, p.power().watts());
            } else {
                Json.field(line, "reason");
                Json.string(line, p.reason());
            }
            line.append('}');
        }
        line.append(']');
        s.dcmi().ifPresent(d -> {
            Json.field(line, "dcmi").append('{');
            Json.field(line, "current_watts").append(d.currentWatts());
            Json.field(line, "min_watts").append(d.minWatts());
            Json.field(line, "max_watts").append(d.maxWatts());
            Json.field(line, "average_watts").append(d.averageWatts());
            Json.field(line, "period_seconds");
            Json.number(line, d.periodMillis() / 1e3);
            line.append('}');
        });
        s.kernel().ifPresent(k -> {
            Json.field(line, "kernel").append('{');
            Json.field(line, "threads").append(k.threads());
            Json.field(line, "polling").append(k.polling());
            Json.field(line, "packets").append(k.packets());
            Json.field(line, "polls").append(k.polls());
            Json.field(line, "sleeps").append(k.sleeps());
            Json.field(line, "irq_wakes").append(k.irqWakes());
            line.append('}');
        });
        Json.field(line, "power_watts");
        Json.number(line, s.powerWatts());
        Json.field(line, "polling_threads");
        Json.number(line, s.pollingThreads());
        Json.field(line, "power_per_polling_thread_watts");
        Json.number(line, s.wattsPerPollingThread());
        Json.field(line, "energy_per_packet_joules");
        Json.number(line, s.joulesPerPacket());
        s.probe().ifPresent(p -> {
            Json.field(line, "probe").append('{');
            Json.field(line, "sent").append(p.sent());
            Json.field(line, "lost").append(p.lost());
            Json.field(line, "rtt_p50_seconds");
            Json.number(line, p.p50Seconds());
            Json.field(line, "rtt_p99_seconds");
            Json.number(line, p.p99Seconds());
            Json.field(line, "rtt_max_seconds");
            Json.number(line, p.maxSeconds());
            line.append('}');
        });
        line.append("}\n");
        out.append(line);
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
