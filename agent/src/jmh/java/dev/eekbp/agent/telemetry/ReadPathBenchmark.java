package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The telemetry read path on a generated tree (2 CPUs, 2 RAPL packages with
 * subzones, 2 module threads) and on the real /proc, against `cat` of a file
 * as a separate process. Run with -prof gc to see the allocation rate:
 * make bench-telemetry.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ReadPathBenchmark {
    private Path dir;
    private TelemetrySampler sampler;
    private PowercapSource powercap;
    private KernelStatsReader stats;
    private InterruptsReader procInterrupts;
    private SoftirqsReader procSoftirqs;
    private long now = 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("eekbp-jmh");
        FakeSystem fs = new FakeSystem(dir.resolve("root")).build();
        for (int p = 0; p < 2; p++) {
            zone("intel-rapl:" + p, "package-" + p);
            zone("intel-rapl:" + p + ":0", "core");
            zone("intel-rapl:" + p + ":1", "dram");
        }
        powercap = new PowercapSource(dir.resolve("powercap"));
        List<PowerSource> power = List.of(new PowercapSource(dir.resolve("powercap")));
        sampler = TelemetrySampler.open(fs.paths(), power, List.of(), null, null);
        stats = KernelStatsReader.open(fs.paths().statsBin());
        procInterrupts = InterruptsReader.open(Path.of("/proc/interrupts"), new int[] {0, 1, 24, 25});
        procSoftirqs = SoftirqsReader.open(Path.of("/proc/softirqs"));
    }

    private void zone(String id, String name) throws IOException {
        Path z = Files.createDirectories(dir.resolve("powercap").resolve(id));
        Files.writeString(z.resolve("name"), name + "\n");
        Files.writeString(z.resolve("max_energy_range_uj"), "262143328850\n");
        Files.writeString(z.resolve("energy_uj"), "123456789\n");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sampler.close();
        powercap.close();
        stats.close();
        procInterrupts.close();
        procSoftirqs.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Every reader once, plus the derived figures: one telemetry sample. */
    @Benchmark
    public long fullSample() {
        now += 1_000_000_000L;
        sampler.sample(now, now / 1_000_000);
        return sampler.samples;
    }

    /** Six powercap zones, wrap-corrected. */
    @Benchmark
    public long powercapSixZones() {
        now += 1_000_000_000L;
        powercap.sample(now);
        return powercap.energyMicrojoules(0);
    }

    @Benchmark
    public boolean statsBin() throws IOException {
        return stats.sample();
    }

    @Benchmark
    public long realProcInterrupts() throws IOException {
        procInterrupts.sample();
        return procInterrupts.count(0);
    }

    @Benchmark
    public long realProcSoftirqs() throws IOException {
        procSoftirqs.sample();
        return procSoftirqs.netRx(0);
    }

    /** What a shell-based collector pays: one `cat` process per file read. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int catEnergyFile() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cat", dir.resolve("powercap/intel-rapl:0/energy_uj").toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor();
        return out.length;
    }
}
