package dev.eekbp.agent.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads and validates a TOML config file as a whole: either every key is valid
 * and a {@link LoadedConfig} comes back, or a {@link ConfigException} lists all
 * problems. Nothing is applied here.
 */
public final class ConfigLoader {
    private static final Map<String, Set<String>> SECTIONS = Map.of(
            "kernel", Set.of("mode", "cpus", "devices", "quota", "module_dir", "sched", "spin_max_us"),
            "frequency", Set.of("control", "min_khz", "max_khz", "max_rate"),
            "placement", Set.of("irq_affinity", "resume_latency_us"),
            "telemetry", Set.of("interval_ms", "prometheus", "prometheus_listen", "jsonl", "rapl", "ipmi",
                    "probe_target", "probe_interval_ms"));

    private final FileSafety safety;

    /** @param safety checks owner and mode of the file before it is read */
    public ConfigLoader(FileSafety safety) {
        this.safety = safety;
    }

    public LoadedConfig load(Path file) throws ConfigException {
        String text;
        try {
            safety.check(file);
            text = utf8(file, Files.readAllBytes(file));
        } catch (ConfigException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw ConfigException.single(new ConfigError(file, 0, "", "file not found"));
        } catch (IOException e) {
            throw ConfigException.single(new ConfigError(file, 0, "", "cannot read: " + e.getMessage()));
        }
        return parse(file, text);
    }

    /** Decodes strict UTF-8; a bad byte is reported with its line and byte offset. */
    private static String utf8(Path file, byte[] bytes) throws ConfigException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw ConfigException.single(new ConfigError(file, line, "", String.format(
                    "not UTF-8: byte 0x%02x at offset %d; TOML files must be UTF-8 (convert with iconv -t UTF-8)",
                    bytes[at] & 0xff, at)));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** Validates TOML text; {@code file} is only used in messages. */
    public static LoadedConfig parse(Path file, String text) throws ConfigException {
        TomlParseResult toml = Toml.parse(text);
        List<ConfigError> errors = new ArrayList<>();
        for (TomlParseError e : toml.errors()) {
            errors.add(new ConfigError(file, e.position() == null ? 0 : e.position().line(), "",
                    "TOML syntax: " + e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        Map<String, Integer> lines = new HashMap<>();
        for (String key : toml.keySet()) {
            if (!SECTIONS.containsKey(key)) {
                errors.add(new ConfigError(file, line(toml, key), key,
                        "unknown key (known sections: [kernel], [frequency], [placement], [telemetry])"));
            } else if (!toml.isTable(key)) {
                errors.add(new ConfigError(file, line(toml, key), key, "must be a table [" + key + "]"));
            }
        }
        Sections s = new Sections(file, toml, errors, lines);
        KernelConfig kernel = s.kernel();
        FrequencyConfig frequency = s.frequency();
        PlacementConfig placement = s.placement();
        TelemetryConfig telemetry = s.telemetry();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new LoadedConfig(file, new Config(kernel, frequency, placement, telemetry), lines);
    }

    private static int line(TomlTable t, String key) {
        var pos = t.inputPositionOf(List.of(key));
        return pos == null ? 0 : pos.line();
    }

    /** Section readers; each returns defaults for keys that are absent. */
    private static final class Sections {
        private final Path file;
        private final TomlTable root;
        private final List<ConfigError> errors;
        private final Map<String, Integer> lines;

        Sections(Path file, TomlTable root, List<ConfigError> errors, Map<String, Integer> lines) {
            this.file = file;
            this.root = root;
            this.errors = errors;
            this.lines = lines;
        }

        private ValueReader section(String name) {
            TomlTable t = root.isTable(name) ? root.getTable(name) : null;
            ValueReader r = new ValueReader(file, name, t, errors, lines);
            r.rejectUnknown(SECTIONS.get(name));
            return r;
        }

        KernelConfig kernel() {
            KernelConfig d = KernelConfig.defaults();
            ValueReader r = section("kernel");
            Mode mode = r.mode("mode", d.mode());
            CpuList cpus = r.cpuList("cpus", d.cpus());
            List<String> devices = r.deviceNames("devices");
            int quota = (int) r.integer("quota", d.quota(), KernelConfig.QUOTA_MIN, KernelConfig.QUOTA_MAX);
            var moduleDir = r.optionalAbsolutePath("module_dir");
            String sched = r.sched("sched", d.sched());
            int spin = (int) r.integer("spin_max_us", d.spinMaxUs(), 0, KernelConfig.SPIN_MAX_US_MAX);
            return new KernelConfig(mode, cpus, devices, quota, moduleDir, sched, spin);
        }

        FrequencyConfig frequency() {
            FrequencyConfig d = FrequencyConfig.defaults();
            ValueReader r = section("frequency");
            boolean control = r.bool("control", d.control());
            long min = r.integer("min_khz", d.minKhz(), 0, 100_000_000);
            long max = r.integer("max_khz", d.maxKhz(), 0, 100_000_000);
            if (min > 0 && max > 0 && min > max) {
                r.error("min_khz", "min_khz (" + min + ") is above max_khz (" + max + ")");
            }
            int rate = (int) r.integer("max_rate", d.maxRate(), 0, FrequencyConfig.MAX_RATE_MAX);
            return new FrequencyConfig(control, min, max, rate);
        }

        PlacementConfig placement() {
            PlacementConfig d = PlacementConfig.defaults();
            ValueReader r = section("placement");
            PlacementConfig.IrqPinning irq = r.irqPinning("irq_affinity", d.irqPinning());
            int lat = (int) r.integer("resume_latency_us", d.resumeLatencyUs(), -1, 10_000_000);
            return new PlacementConfig(irq, lat);
        }

        TelemetryConfig telemetry() {
            TelemetryConfig d = TelemetryConfig.defaults();
            ValueReader r = section("telemetry");
            long interval = r.integer("interval_ms", d.interval().toMillis(), 10, 3_600_000);
            boolean prometheus = r.bool("prometheus", d.prometheus());
            var listen = r.address("prometheus_listen", "127.0.0.1:9477", 0).orElse(d.prometheusListen());
            if (listen.isUnresolved()) {
                r.error("prometheus_listen", "host \"" + listen.getHostString() + "\" does not resolve (use an address"
                        + " of this machine, e.g. \"127.0.0.1:9477\" or \"[::]:9477\")");
            }
            var jsonl = r.optionalAbsolutePath("jsonl");
            String rapl = r.oneOf("rapl", d.rapl(), "auto", "powercap", "msr", "off");
            String ipmi = r.ipmi("ipmi", d.ipmi());
            var probe = r.address("probe_target", "", 1);
            long probeInterval = r.integer("probe_interval_ms", d.probeInterval().toMillis(), 1, 60_000);
            return new TelemetryConfig(java.time.Duration.ofMillis(interval), prometheus, listen, jsonl, rapl, ipmi,
                    probe, java.time.Duration.ofMillis(probeInterval));
        }
    }
}
