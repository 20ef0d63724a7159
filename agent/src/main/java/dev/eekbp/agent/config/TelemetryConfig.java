package dev.eekbp.agent.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * [telemetry] section. {@code rapl} is auto | powercap | msr | off;
 * {@code ipmi} is auto | off | a device path such as /dev/ipmi0.
 */
public record TelemetryConfig(Duration interval, boolean prometheus, InetSocketAddress prometheusListen,
        Optional<Path> jsonl, String rapl, String ipmi, Optional<InetSocketAddress> probeTarget,
        Duration probeInterval) {
    public TelemetryConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(prometheusListen, "prometheusListen");
        Objects.requireNonNull(jsonl, "jsonl");
        Objects.requireNonNull(rapl, "rapl");
        Objects.requireNonNull(ipmi, "ipmi");
        Objects.requireNonNull(probeTarget, "probeTarget");
        Objects.requireNonNull(probeInterval, "probeInterval");
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(Duration.ofMillis(1000), true,
                new InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.1"), 9477), Optional.empty(), "auto",
                "auto", Optional.empty(), Duration.ofMillis(100));
    }
}
