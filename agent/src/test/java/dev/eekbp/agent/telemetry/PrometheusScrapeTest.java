package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.config.TelemetryConfig;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.ipmi.DcmiSource;
import dev.eekbp.agent.power.ipmi.DcmiTransport;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service on generated trees, scraped over loopback. */
class PrometheusScrapeTest {
    @TempDir
    Path dir;

    private DatagramSocket echo;
    private Thread echoThread;
    private TelemetryService service;
    private Path jsonl;

    /** A BMC answering 245 W. */
    static final class GoodBmc implements DcmiTransport {
        @Override
        public int powerReading(byte[] resp) throws NativeException {
            byte[] a = {0, (byte) 0xDC, (byte) 0xF5, 0, (byte) 0xB4, 0, 0x40, 1, (byte) 0xFA, 0, 1, 0, 0, 0,
                (byte) 0xE8, 3, 0, 0, 0x40};
            System.arraycopy(a, 0, resp, 0, a.length);
            return a.length;
        }

        @Override
        public void close() {
        }
    }

    private FakeSystem fs;

    @BeforeEach
    void start() throws IOException {
        fs = new FakeSystem(dir.resolve("root")).build();
        Path pc = Files.createDirectories(dir.resolve("powercap/intel-rapl:0"));
        Files.writeString(pc.resolve("name"), "package-0\n");
        Files.writeString(pc.resolve("max_energy_range_uj"), "262143328850\n");
        Files.writeString(pc.resolve("energy_uj"), "1000000\n");
        echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        echoThread = Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[64];
            DatagramPacket p = new DatagramPacket(b, b.length);
            while (!echo.isClosed()) {
                try {
                    p.setLength(b.length);
                    echo.receive(p);
                    echo.send(p);
                } catch (IOException e) {
                    return;
                }
            }
        });
        jsonl = dir.resolve("out/telemetry.jsonl");
        // a long interval: only sampleNow() takes full samples, so deltas are deterministic
        TelemetryConfig cfg = new TelemetryConfig(Duration.ofHours(1), true,
                new InetSocketAddress("127.0.0.1", 0), Optional.of(jsonl), "auto", "off",
                Optional.of(new InetSocketAddress("127.0.0.1", echo.getLocalPort())), Duration.ofMillis(20));
        List<PowerSource> power = List.of(new PowercapSource(dir.resolve("powercap")), DcmiSource.over(new GoodBmc()));
        Path kdir = dir.resolve("root/sys/kernel");
        Files.writeString(kdir.resolve("eekbp/mode"), "eekbp\n");
        Files.writeString(kdir.resolve("eekbp/freq_ctl"), "0\n");
        Files.writeString(kdir.resolve("eekbp/enabled"), "1\n");
        Files.createDirectories(kdir.resolve("livepatch/eekbp_livepatch"));
        Files.writeString(kdir.resolve("livepatch/eekbp_livepatch/enabled"), "1\n");
        service = new TelemetryService(cfg, fs.paths(), List.of(), power);
        service.useIrqOverrides(() -> 3);
        service.useConfiguredFreqCtl(true);
        service.useSensors(new SensorReader() {
            @Override
            public void sample() {
            }

            @Override
            public double cpuCelsius() {
                return 47.5;
            }

            @Override
            public int[] fanRpm() {
                return new int[] {1200, 1350};
            }
        });
        service.start();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        echo.close();
    }

    private String scrape() throws IOException, InterruptedException {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.prometheusPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private void waitForProbes() throws InterruptedException {
        for (int i = 0; i < 200 && service.snapshot().probe().orElseThrow().sent() < 3; i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyDocumentedMetricIsExposedWithTypeAndUnit() throws Exception {
        waitForProbes();
        Files.writeString(dir.resolve("powercap/intel-rapl:0/energy_uj"), "3000000\n");
        fs.statsBin(FakeSystem.stats(2, 2));
        service.sampleNow();
        String text = scrape();
        for (Metric m : Metric.values()) {
            assertThat(text).as(m + " TYPE")
                    .contains("# TYPE " + m.exposedName() + " " + m.type().exposition() + "\n");
            String sample = switch (m.type()) {
                case COUNTER -> m.baseName() + "_total";
                case HISTOGRAM -> m.exposedName() + "_bucket";
                case GAUGE -> m.exposedName();
            };
            assertThat(text).as(m + " sample").containsPattern("(?m)^" + Pattern.quote(sample) + "[{ ]");
            if (!m.unit().isEmpty()) {
                assertThat(m.baseName()).as(m + " unit").endsWith("_" + m.unit());
            }
            for (String label : m.labels()) {
                assertThat(text).as(m + " label " + label).containsPattern(
                        "(?m)^" + Pattern.quote(sample) + "\\{([^}]*,)?" + label + "=\"");
            }
        }
    }

    @Test
    void valuesComeFromTheSources() throws Exception {
        Files.writeString(dir.resolve("powercap/intel-rapl:0/energy_uj"), "3000000\n");
        service.sampleNow();
        String text = scrape();
        assertThat(value(text, "eekbp_energy_joules_total{domain=\"package-0\",source=\"rapl-powercap\"}"))
                .isEqualTo(2.0);
        assertThat(value(text, "eekbp_power_source_up{source=\"ipmi-dcmi\"}")).isEqualTo(1.0);
        assertThat(value(text, "eekbp_dcmi_power_watts{stat=\"average\"}")).isEqualTo(250.0);
        assertThat(value(text, "eekbp_dcmi_period_seconds")).isEqualTo(1.0);
        assertThat(value(text, "eekbp_thread_packets_total{cpu=\"1\"}")).isEqualTo(2000.0);
        assertThat(value(text, "eekbp_thread_wake_latency_seconds_count{cpu=\"1\"}")).isEqualTo(6.0);
        assertThat(value(text, "eekbp_thread_wake_latency_seconds_bucket{cpu=\"1\",le=\"1.024E-6\"}"))
                .isEqualTo(6.0);
        assertThat(value(text, "eekbp_thread_wake_latency_seconds_bucket{cpu=\"1\",le=\"5.12E-7\"}"))
                .isEqualTo(0.0);
        assertThat(value(text, "eekbp_nic_hardirqs_total{cpu=\"0\"}")).isEqualTo(1205.0);
        assertThat(value(text, "eekbp_softirq_net_rx_total{cpu=\"1\"}")).isEqualTo(820.0);
        assertThat(value(text, "eekbp_cpu_frequency_hertz{cpu=\"0\"}")).isEqualTo(2.4e9);
        assertThat(value(text, "eekbp_cpuidle_residency_seconds_total{cpu=\"1\",state=\"C1\"}")).isEqualTo(42.0);
        assertThat(value(text, "eekbp_thread_cpu_seconds_total{cpu=\"0\",mode=\"system\"}"))
                .isEqualTo(3.45);
        assertThat(text).doesNotContain("systemd");
        assertThat(value(text, "eekbp_cpu_temperature_celsius")).isEqualTo(47.5);
        assertThat(value(text, "eekbp_fan_speed_rpm{fan=\"1\"}")).isEqualTo(1350.0);
    }

    @Test
    void buildModeAndHealthAreExported() throws Exception {
        String text = scrape();
        assertThat(text).containsPattern("(?m)^eekbp_build_info\\{abi_version=\"1\",java_version=\"[^\"]+\","
                + "version=\"0.1.0-SNAPSHOT\"\\} 1.0$");
        assertThat(value(text, "eekbp_config_info{mode=\"eekbp\"}")).isEqualTo(1.0);
        assertThat(value(text, "eekbp_frequency_control")).isEqualTo(0.0);
        assertThat(value(text, "eekbp_config_frequency_control")).as("configured on, not in effect").isEqualTo(1.0);
        assertThat(value(text, "eekbp_enabled")).isEqualTo(1.0);
        assertThat(value(text, "eekbp_livepatch_enabled")).isEqualTo(1.0);
        assertThat(value(text, "eekbp_irq_affinity_overrides_total")).isEqualTo(3.0);
        Files.writeString(dir.resolve("root/sys/kernel/livepatch/eekbp_livepatch/enabled"), "0\n");
        assertThat(value(scrape(), "eekbp_livepatch_enabled")).isEqualTo(0.0);
    }

    @Test
    void aDuplicateCpuRecordCostsItsSeriesNotTheScrape() throws Exception {
        java.nio.ByteBuffer b = FakeSystem.stats(2, 2);
        b.putInt(StatsLayout.HEADER_SIZE + StatsLayout.RECORD_SIZE, 0); // record 1 claims CPU 0 too
        fs.statsBin(b);
        service.sampleNow();
        String text = scrape(); // asserts HTTP 200
        assertThat(value(text, "eekbp_thread_packets_total{cpu=\"0\"}")).isEqualTo(2000.0);
        assertThat(value(text, "eekbp_scrape_series_dropped_total")).isGreaterThan(0);
        assertThat(value(text, "eekbp_cpu_frequency_hertz{cpu=\"0\"}")).isEqualTo(2.4e9);
    }

    @Test
    void jsonLinesFileIsReopenedAfterRotation() throws Exception {
        service.sampleNow();
        Files.move(jsonl, jsonl.resolveSibling("telemetry.jsonl.1"));
        service.reopenFiles();
        service.sampleNow();
        assertThat(Files.readAllLines(jsonl)).hasSize(1);
    }

    @Test
    void anExporterThatCannotStartLeavesTheOtherRunning() throws Exception {
        Path blocked = Files.writeString(dir.resolve("not-a-dir"), "");
        TelemetryConfig cfg = new TelemetryConfig(Duration.ofHours(1), true, new InetSocketAddress("127.0.0.1", 0),
                Optional.of(blocked.resolve("telemetry.jsonl")), "off", "off", Optional.empty(),
                Duration.ofMillis(20));
        TelemetryService other = new TelemetryService(cfg, fs.paths(), List.of(), List.of());
        try {
            other.start();
            assertThat(other.prometheusPort()).isPositive();
            assertThat(other.failedExporters()).singleElement().asString().contains("JSON Lines");
        } finally {
            other.close();
        }
    }

    @Test
    void energyPerPacketAndPowerPerPollingThread() throws Exception {
        Files.writeString(dir.resolve("powercap/intel-rapl:0/energy_uj"), "1000000\n");
        service.sampleNow();
        Files.writeString(dir.resolve("powercap/intel-rapl:0/energy_uj"), "3000000\n");
        fs.statsBin(FakeSystem.stats(2, 3)); // packets 3000 -> 9000
        service.sampleNow();
        TelemetrySnapshot s = service.snapshot();
        assertThat(s.joulesPerPacket()).isEqualTo(2.0 / 6000);
        assertThat(s.pollingThreads()).isGreaterThan(0);
        assertThat(s.wattsPerPollingThread()).isEqualTo(s.powerWatts() / s.pollingThreads());
        String text = scrape();
        assertThat(value(text, "eekbp_energy_per_packet_joules")).isEqualTo(2.0 / 6000);
    }

    @Test
    void probeHistogramIsCumulativeAndCountsReplies() throws Exception {
        waitForProbes();
        service.sampleNow();
        String text = scrape();
        double count = value(text, "eekbp_probe_rtt_seconds_count");
        assertThat(count).isGreaterThan(0);
        assertThat(value(text, "eekbp_probe_rtt_seconds_bucket{le=\"+Inf\"}")).isEqualTo(count);
        assertThat(value(text, "eekbp_probe_rtt_seconds_bucket{le=\"1.0\"}")).isLessThanOrEqualTo(count);
        assertThat(value(text, "eekbp_probe_sent_total")).isGreaterThanOrEqualTo(count);
    }

    @Test
    void jsonLinesHasOneObjectPerSample() throws Exception {
        service.sampleNow();
        service.sampleNow();
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("{\"time\":\"").endsWith("}");
        assertThat(last).contains("\"source\":\"rapl-powercap\",\"domain\":\"package-0\",\"available\":true");
        assertThat(last).contains("\"dcmi\":{\"current_watts\":245,");
        assertThat(last).contains("\"kernel\":{\"threads\":2,\"polling\":1,\"packets\":3000,");
        assertThat(last).doesNotContain("NaN");
    }

    @Test
    void snapshotForStatus() {
        service.sampleNow();
        TelemetrySnapshot s = service.snapshot();
        assertThat(s.power()).extracting(TelemetrySnapshot.PowerDomain::source)
                .containsExactly("rapl-powercap", "ipmi-dcmi");
        assertThat(s.kernel().orElseThrow().packets()).isEqualTo(3000);
        assertThat(s.dcmi().orElseThrow().currentWatts()).isEqualTo(245);
    }

    @Test
    void documentationListsEveryMetric() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "telemetry.md"));
        for (Metric m : Metric.values()) {
            String row = "| `" + m.exposedName() + "` | " + m.type().exposition() + " | "
                    + (m.unit().isEmpty() ? "-" : m.unit()) + " | ";
            assertThat(doc).as(m.exposedName()).contains(row);
        }
        Matcher rows = Pattern.compile("(?m)^\\| `(eekbp_\\w+)` \\|").matcher(doc);
        int n = 0;
        while (rows.find()) {
            n++;
        }
        assertThat(n).as("documented metrics").isEqualTo(Metric.values().length);
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
