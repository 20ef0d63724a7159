package dev.eekbp.agent.power.rapl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MSR source against sparse regular files laid out like /dev/cpu/N/msr:
 * pread at the register address through FFM, as on a real msr device.
 */
class MsrSourceTest {
    @TempDir
    Path dir;

    private Path sys;
    private Path dev;

    private void cpu(int n, int pkg) throws IOException {
        Path t = Files.createDirectories(sys.resolve("cpu" + n).resolve("topology"));
        Files.writeString(t.resolve("physical_package_id"), pkg + "\n");
        Path d = Files.createDirectories(dev.resolve(Integer.toString(n)));
        Files.write(d.resolve("msr"), new byte[0]);
    }

    private void msr(int cpu, long reg, long value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dev.resolve(cpu + "/msr").toFile(), "rw")) {
            f.seek(reg);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
    }

    private Path cpuinfo(String vendor) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor + "\n");
    }

    @Test
    void intelTwoPackagesPackageAndDramWithWrap() throws IOException {
        sys = dir.resolve("sys");
        dev = dir.resolve("dev");
        cpu(0, 0);
        cpu(1, 0);
        cpu(2, 1);
        msr(0, MsrRapl.INTEL_POWER_UNIT, MsrRaplTest.INTEL_UNITS);
        msr(2, MsrRapl.INTEL_POWER_UNIT, MsrRaplTest.INTEL_UNITS);
        msr(0, MsrRapl.INTEL_PKG_ENERGY, 0xFFFF_0000L);
        msr(0, MsrRapl.INTEL_PP0_ENERGY, 0); // PP0 is the last register before the file end hole
        msr(2, MsrRapl.INTEL_PKG_ENERGY, 100);
        try (MsrSource s = new MsrSource(sys, dev, cpuinfo("GenuineIntel"))) {
            assertThat(s.availability().available()).as(s.availability().reason()).isTrue();
            // package-0 has package + core (dram at 0x619 < 0x639 reads zeros, so it is present too)
            assertThat(java.util.stream.IntStream.range(0, s.domainCount()).mapToObj(s::domainName))
                    .contains("package-0", "package-0/core", "package-1");
            s.sample(1_000_000_000L);
            msr(0, MsrRapl.INTEL_PKG_ENERGY, 0x0000_4000L); // wrapped: 0x10000 + 0x4000 ticks
            msr(2, MsrRapl.INTEL_PKG_ENERGY, 100 + 16384);
            s.sample(2_000_000_000L);
            int p0 = indexOf(s, "package-0");
            int p1 = indexOf(s, "package-1");
            assertThat(s.energyMicrojoules(p0)).isEqualTo((long) (0x14000 * 1e6 / 16384));
            assertThat(s.watts(p1)).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void amdPackageEnergy() throws IOException {
        sys = dir.resolve("sys");
        dev = dir.resolve("dev");
        cpu(0, 0);
        msr(0, MsrRapl.AMD_POWER_UNIT, MsrRaplTest.AMD_UNITS);
        msr(0, MsrRapl.AMD_PKG_ENERGY, 1000);
        try (MsrSource s = new MsrSource(sys, dev, cpuinfo("AuthenticAMD"))) {
            assertThat(s.availability().available()).as(s.availability().reason()).isTrue();
            assertThat(s.domainCount()).isEqualTo(1);
            s.sample(1);
            msr(0, MsrRapl.AMD_PKG_ENERGY, 1000 + 65536);
            s.sample(2);
            assertThat(s.energyMicrojoules(0)).isEqualTo(1_000_000); // 65536 x 15.26 uJ = 1 J
        }
    }

    @Test
    void missingDeviceSaysModprobeMsr() throws IOException {
        sys = dir.resolve("sys");
        dev = dir.resolve("dev");
        Files.createDirectories(sys.resolve("cpu0/topology"));
        Files.writeString(sys.resolve("cpu0/topology/physical_package_id"), "0\n");
        try (MsrSource s = new MsrSource(sys, dev, cpuinfo("GenuineIntel"))) {
            assertThat(s.availability().available()).isFalse();
            assertThat(s.availability().reason()).contains("modprobe msr");
        }
    }

    private static int indexOf(MsrSource s, String name) {
        for (int i = 0; i < s.domainCount(); i++) {
            if (s.domainName(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }
}
