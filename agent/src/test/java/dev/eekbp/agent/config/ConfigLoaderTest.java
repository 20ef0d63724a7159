package dev.eekbp.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("/etc/eekbp/test.toml");

    private static final String FULL = """
            [kernel]
            mode = "kbp"
            cpus = "0-1,3"
            devices = ["eth0", "ens1f0"]
            quota = 128
            module_dir = "/opt/eekbp/modules"
            sched = "fifo:10"
            spin_max_us = 200
            [frequency]
            control = false
            min_khz = 800000
            max_khz = 2400000
            max_rate = 500
            [placement]
            irq_affinity = false
            resume_latency_us = 10
            [telemetry]
            interval_ms = 500
            prometheus = false
            prometheus_listen = "0.0.0.0:9100"
            jsonl = "/var/log/eekbp.jsonl"
            rapl = "msr"
            ipmi = "/dev/ipmi0"
            probe_target = "198.18.0.1:7"
            probe_interval_ms = 50
            """;

    @Test
    void everyKeyIsRead() throws Exception {
        Config c = ConfigLoader.parse(FILE, FULL).config();
        assertThat(c.kernel().mode()).isEqualTo(Mode.KBP);
        assertThat(c.kernel().cpus()).isEqualTo(CpuList.of(0, 1, 3));
        assertThat(c.kernel().devices()).containsExactly("eth0", "ens1f0");
        assertThat(c.kernel().quota()).isEqualTo(128);
        assertThat(c.kernel().moduleDir()).contains(Path.of("/opt/eekbp/modules"));
        assertThat(c.kernel().sched()).isEqualTo("fifo:10");
        assertThat(c.kernel().spinMaxUs()).isEqualTo(200);
        assertThat(c.frequency()).isEqualTo(new FrequencyConfig(false, 800000, 2400000, 500));
        assertThat(c.placement()).isEqualTo(new PlacementConfig(false, 10));
        TelemetryConfig t = c.telemetry();
        assertThat(t.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(t.prometheus()).isFalse();
        assertThat(t.prometheusListen()).isEqualTo(new InetSocketAddress("0.0.0.0", 9100));
        assertThat(t.jsonl()).contains(Path.of("/var/log/eekbp.jsonl"));
        assertThat(t.rapl()).isEqualTo("msr");
        assertThat(t.ipmi()).isEqualTo("/dev/ipmi0");
        assertThat(t.probeTarget()).contains(new InetSocketAddress("198.18.0.1", 7));
        assertThat(t.probeInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void emptyFileGivesDefaults() throws Exception {
        Config c = ConfigLoader.parse(FILE, "").config();
        assertThat(c).isEqualTo(Config.defaults());
        assertThat(c.kernel().mode()).isEqualTo(Mode.EEKBP);
        assertThat(c.telemetry().probeTarget()).isEqualTo(Optional.empty());
        assertThat(c.telemetry().prometheusListen().getPort()).isEqualTo(9477);
    }

    @Test
    void shippedDefaultConfigIsValidAndEqualsDefaults() throws Exception {
        Path shipped = Path.of(System.getProperty("user.dir")).resolve("../packaging/eekbp.toml");
        LoadedConfig lc = new ConfigLoader(FileSafety.NONE).load(shipped);
        assertThat(lc.config()).isEqualTo(Config.defaults());
    }

    /** Bad files: the error names the key and the line it is on. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type quota      | [kernel]\\nquota = "64"                 | 2 | kernel.quota        | must be an integer
            quota too big         | [kernel]\\n\\nquota = 2000             | 3 | kernel.quota        | 1..1024
            quota zero            | [kernel]\\nquota = 0                    | 2 | kernel.quota        | 1..1024
            unknown mode          | [kernel]\\nmode = "turbo"               | 2 | kernel.mode         | napi | kbp | eekbp | adaptive
            sched unknown         | [kernel]\\nsched = "rr:5"               | 2 | kernel.sched        | "other" or "fifo:<1-99>"
            sched prio zero       | [kernel]\\nsched = "fifo:0"             | 2 | kernel.sched        | "other" or "fifo:<1-99>"
            sched prio too big    | [kernel]\\nsched = "fifo:100"           | 2 | kernel.sched        | "other" or "fifo:<1-99>"
            sched not digits      | [kernel]\\nsched = "fifo:1x"            | 2 | kernel.sched        | "other" or "fifo:<1-99>"
            spin too long         | [kernel]\\nspin_max_us = 1001           | 2 | kernel.spin_max_us  | 0..1000
            max rate negative     | [frequency]\\nmax_rate = -1             | 2 | frequency.max_rate  | 0..100000
            unknown key           | [kernel]\\nmode = "kbp"\\nqota = 3      | 3 | kernel.qota         | unknown key
            unknown section       | [kernal]\\nmode = "kbp"                | 1 | kernal              | unknown key
            bad cpu list          | [kernel]\\ncpus = "0-"                  | 2 | kernel.cpus         | bad CPU list
            descending cpus       | [kernel]\\ncpus = "3-1"                 | 2 | kernel.cpus         | descending
            letters in cpus       | [kernel]\\ncpus = "a,b"                 | 2 | kernel.cpus         | not a CPU number
            empty cpus            | [kernel]\\ncpus = ""                    | 2 | kernel.cpus         | empty CPU list
            cpus as integer       | [kernel]\\ncpus = 0                     | 2 | kernel.cpus         | must be a string
            devices not array     | [kernel]\\ndevices = "eth0"             | 2 | kernel.devices      | must be an array
            device name too long  | [kernel]\\ndevices = ["abcdefghijklmnop"] | 2 | kernel.devices    | not a valid interface name
            relative module dir   | [kernel]\\nmodule_dir = "mods"          | 2 | kernel.module_dir   | absolute path
            control not bool      | [frequency]\\ncontrol = 1               | 2 | frequency.control   | true or false
            min above max         | [frequency]\\nmin_khz = 3000\\nmax_khz = 2000 | 2 | frequency.min_khz | above max_khz
            negative khz          | [frequency]\\nmax_khz = -5              | 2 | frequency.max_khz   | 0..100000000
            latency below -1      | [placement]\\nresume_latency_us = -2    | 2 | placement.resume_latency_us | -1..
            interval as float     | [telemetry]\\ninterval_ms = 1.5         | 2 | telemetry.interval_ms | got a float
            bad listen            | [telemetry]\\nprometheus_listen = "localhost" | 2 | telemetry.prometheus_listen | host:port
            bad port              | [telemetry]\\nprobe_target = "h:70000"  | 2 | telemetry.probe_target | port 1..65535
            bad rapl              | [telemetry]\\nrapl = "yes"              | 2 | telemetry.rapl      | auto | powercap | msr | off
            bad ipmi              | [telemetry]\\nipmi = "ipmi0"            | 2 | telemetry.ipmi      | /dev/ipmi0
            section not table     | kernel = 3                              | 1 | kernel              | must be a table
            """)
    void badFilesNameFileLineAndKey(String name, String text, int line, String key, String message) {
        String toml = text.strip().replace("\\n", "\n");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, toml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    List<ConfigError> errors = ((ConfigException) e).errors();
                    assertThat(errors).hasSize(1);
                    ConfigError err = errors.get(0);
                    assertThat(err.file()).isEqualTo(FILE);
                    assertThat(err.line()).isEqualTo(line);
                    assertThat(err.key()).isEqualTo(key);
                    assertThat(err.message()).contains(message.strip());
                    assertThat(e.getMessage()).startsWith(FILE + ":" + line + ": " + key + ": ");
                });
    }

    @Test
    void syntaxErrorNamesLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[kernel]\nmode = \n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ":2: ")
                .hasMessageContaining("TOML syntax");
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[kernel]\nquota = 0\nmode = \"x\"\n[telemetry]\nfoo = 1\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder("kernel.quota", "kernel.mode", "telemetry.foo"));
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> new ConfigLoader(FileSafety.NONE).load(Path.of("/nonexistent/eekbp.toml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/eekbp.toml: file not found");
    }

    @Test
    void nonUtf8FileNamesTheByteAndTheFix(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.toml");
        java.nio.file.Files.write(f, "[kernel]\n# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new ConfigLoader(FileSafety.NONE).load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2:").hasMessageContaining("not UTF-8: byte 0xe9 at offset 14")
                .hasMessageNotContaining("Input length");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prometheus_listen = \"no-such-host.invalid:9477\"|does not resolve",
        "prometheus_listen = \"127.0.0.1:\u0669\u0664\u0667\u0667\"|must be \"host:port\"",
        "probe_target = \"127.0.0.1:\u0967\"|must be \"host:port\""})
    void listenAndProbeAddressesAreChecked(String line, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[telemetry]\n" + line + "\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void irqAffinityTakesAllExplicitly() throws Exception {
        assertThat(ConfigLoader.parse(FILE, "[placement]\nirq_affinity = \"all\"\n").config().placement()
                .irqPinning()).isEqualTo(PlacementConfig.IrqPinning.ALL);
        assertThat(ConfigLoader.parse(FILE, "").config().placement().irqPinning())
                .isEqualTo(PlacementConfig.IrqPinning.NAMED);
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[placement]\nirq_affinity = \"some\"\n"))
                .hasMessageContaining("irq_affinity: must be true");
    }
}
