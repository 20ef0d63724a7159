package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.power.MachineTotal;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which RAPL domains make up the machine's power: no double counting. */
class PlatformTotalTest {
    @TempDir
    Path root;

    private void zone(String id, String name) throws IOException {
        Path z = Files.createDirectories(root.resolve(id));
        Files.writeString(z.resolve("name"), name + "\n");
        Files.writeString(z.resolve("max_energy_range_uj"), "262143328850\n");
        Files.writeString(z.resolve("energy_uj"), "1\n");
    }

    private String[] counted(PowercapSource s) {
        boolean psys = IntStream.range(0, s.domainCount()).anyMatch(d -> s.domainName(d).equals("psys"));
        return IntStream.range(0, s.domainCount()).filter(d -> MachineTotal.counts(s, d, psys))
                .mapToObj(s::domainName).toArray(String[]::new);
    }

    @Test
    void serverSumsPackagesNotSubzonesOrMmio() throws IOException {
        zone("intel-rapl:0", "package-0");
        zone("intel-rapl:0:0", "dram");
        zone("intel-rapl:1", "package-1");
        zone("intel-rapl-mmio:0", "package-0");
        try (PowercapSource s = new PowercapSource(root)) {
            assertThat(counted(s)).containsExactly("package-0", "package-1");
        }
    }

    @Test
    void clientWithPsysCountsPsysOnly() throws IOException {
        zone("intel-rapl:0", "package-0");
        zone("intel-rapl:0:0", "core");
        zone("intel-rapl:1", "psys");
        try (PowercapSource s = new PowercapSource(root)) {
            assertThat(counted(s)).containsExactly("psys");
        }
    }
}
