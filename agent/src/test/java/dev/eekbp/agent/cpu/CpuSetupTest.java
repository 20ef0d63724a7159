package dev.eekbp.agent.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.testutil.FakeSys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuSetupTest {
    @TempDir
    Path root;
    FakeSys sys;
    SysfsTree fs;

    @BeforeEach
    void setUp() {
        sys = new FakeSys(root).machine();
        fs = new SysfsTree(root);
    }

    @Test
    void amdPstateEppNamesPassiveMode() {
        sys.file("sys/devices/system/cpu/cpu0/cpufreq/scaling_driver", "amd-pstate-epp\n");
        FreqSupport s = new Governors(fs, ModuleProbe.NONE).check(CpuList.of(0));
        assertThat(s.usable()).isFalse();
        assertThat(s.problem().orElseThrow()).contains("amd_pstate=passive");
    }

    @Test
    void noCpufreqDriver() {
        FreqSupport s = new Governors(new SysfsTree(root.resolve("empty")), ModuleProbe.NONE).check(CpuList.of(0));
        assertThat(s.usable()).isFalse();
        assertThat(s.problem().orElseThrow()).contains("no cpufreq driver");
    }

    @Test
    void missingUserspaceGovernorTriesModprobeOnce() {
        sys.file("sys/devices/system/cpu/cpu0/cpufreq/scaling_available_governors", "schedutil\n");
        AtomicInteger probes = new AtomicInteger();
        FreqSupport s = new Governors(fs, m -> {
            assertThat(m).isEqualTo("cpufreq_userspace");
            probes.incrementAndGet();
            sys.file("sys/devices/system/cpu/cpu0/cpufreq/scaling_available_governors", "userspace schedutil\n");
        }).check(CpuList.of(0));
        assertThat(probes).hasValue(1);
        assertThat(s.usable()).isTrue();
    }

    @Test
    void failedGovernorSwitchPutsBackTheOnesDone() throws Exception {
        Path g1 = root.resolve("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor");
        Files.delete(g1);
        Files.createDirectory(g1);
        Governors g = new Governors(fs, ModuleProbe.NONE);
        assertThatThrownBy(() -> g.switchToUserspace(CpuList.of(0, 1))).isInstanceOf(CpuException.class)
                .hasMessageContaining("CPU 1");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
    }

    @Test
    void irqsOfVirtioNicComeFromTheParentDevice() {
        FakeSys v = new FakeSys(root.resolve("v"));
        v.file("sys/devices/pci0/0000:00:02.0/msi_irqs/30", "msi\n");
        v.file("sys/devices/pci0/0000:00:02.0/msi_irqs/31", "msi\n");
        v.file("sys/devices/pci0/0000:00:02.0/virtio0/net/eth0/x", "");
        try {
            Files.createDirectories(v.root().resolve("sys/class/net"));
            Files.createSymbolicLink(v.root().resolve("sys/class/net/eth0"),
                    v.root().resolve("sys/devices/pci0/0000:00:02.0/virtio0/net/eth0"));
            Files.createSymbolicLink(v.root().resolve("sys/devices/pci0/0000:00:02.0/virtio0/net/eth0/device"),
                    v.root().resolve("sys/devices/pci0/0000:00:02.0/virtio0"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        IrqAffinity a = new IrqAffinity(new SysfsTree(v.root()));
        assertThat(a.irqs("eth0")).containsExactly(30, 31);
        assertThat(a.devices(List.of())).containsExactly("eth0");
    }

    @Test
    void legacyIrqIsUsedWithoutMsi() {
        sys.file("sys/class/net/eth1/device/irq", "11\n");
        assertThat(new IrqAffinity(fs).irqs("eth1")).containsExactly(11);
    }

    @Test
    void pinAndRestoreAffinity() {
        IrqAffinity a = new IrqAffinity(fs);
        List<String> skipped = new ArrayList<>();
        Map<Integer, String> prev = a.pin(List.of("eth0"), CpuList.of(1), skipped);
        assertThat(prev).containsEntry(24, "0-1").containsEntry(25, "0-1");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
        assertThat(a.restore(prev)).isEmpty();
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(skipped).isEmpty();
    }

    @Test
    void resumeLatencySetAndRestore() throws Exception {
        ResumeLatency r = new ResumeLatency(fs);
        Map<Integer, String> prev = r.set(CpuList.of(0, 1), 5);
        assertThat(sys.read("sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us")).isEqualTo("5");
        r.restore(prev);
        assertThat(sys.read("sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us")).isEqualTo("0");
        assertThatThrownBy(() -> r.set(CpuList.of(0, 7), 5)).isInstanceOf(CpuException.class)
                .hasMessageContaining("resume_latency_us = -1");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/power/pm_qos_resume_latency_us")).isEqualTo("0");
    }
}
