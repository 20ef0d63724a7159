package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.power.PowerSource;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-sample read path allocates nothing once warmed up. */
class SampleAllocationTest {
    @TempDir
    Path dir;

    @Test
    void fullSampleAllocatesNoBytes() throws IOException {
        FakeSystem fs = new FakeSystem(dir.resolve("root")).build();
        Path pc = Files.createDirectories(dir.resolve("powercap/intel-rapl:0"));
        Files.writeString(pc.resolve("name"), "package-0\n");
        Files.writeString(pc.resolve("max_energy_range_uj"), "262143328850\n");
        Files.writeString(pc.resolve("energy_uj"), "1000000\n");
        List<PowerSource> power = List.of(new PowercapSource(dir.resolve("powercap")));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        try (TelemetrySampler s = TelemetrySampler.open(fs.paths(), power, List.of(), null, null)) {
            long t = 1;
            for (int i = 0; i < 2000; i++) { // warm up: class loading, JIT, thread-local buffers
                s.sample(t += 1_000_000, t);
            }
            int n = 1000;
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < n; i++) {
                s.sample(t += 1_000_000, t);
            }
            long total = mx.getThreadAllocatedBytes(tid) - before;
            assertThat(s.kstatsValid).isTrue();
            assertThat(s.threads.size()).isEqualTo(2);
            // even 8 bytes per sample would be 8000 here; a one-off (JIT, a
            // JDK-internal cache) may add a few hundred
            assertThat(total).as("bytes allocated by %d samples", n).isLessThan(1024);
        }
    }
}
