package dev.eekbp.agent.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a fake /sys + /proc tree in a temp folder. */
public final class FakeSys {
    private final Path root;

    public FakeSys(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public FakeSys file(String rel, String content) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String rel) {
        try {
            return Files.readString(root.resolve(rel)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two online CPUs with a cpufreq driver offering userspace, plus a NIC eth0 with MSI IRQs 24, 25. */
    public FakeSys machine() {
        file("sys/devices/system/cpu/online", "0-1\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            String d = "sys/devices/system/cpu/cpu" + cpu + "/";
            file(d + "cpufreq/scaling_driver", "eekbp_testfreq\n");
            file(d + "cpufreq/scaling_governor", "schedutil\n");
            file(d + "cpufreq/scaling_available_governors", "userspace schedutil performance\n");
            file(d + "cpufreq/scaling_cur_freq", "2000000\n");
            file(d + "power/pm_qos_resume_latency_us", "0\n");
        }
        file("sys/class/net/eth0/device/msi_irqs/24", "msi\n");
        file("sys/class/net/eth0/device/msi_irqs/25", "msi\n");
        file("proc/irq/24/smp_affinity_list", "0-1\n");
        file("proc/irq/25/smp_affinity_list", "0-1\n");
        file("proc/sys/kernel/osrelease", "6.1.0-56-amd64\n");
        return this;
    }

    /** The eekbp module and its livepatch as if already loaded (for adoption). */
    public FakeSys loadedModule() {
        String d = "sys/kernel/eekbp/";
        file("sys/module/eekbp/initstate", "live\n");
        file("sys/module/eekbp_livepatch/initstate", "live\n");
        file(d + "abi_version", "1\n");
        file(d + "mode", "napi\n");
        file(d + "cpus", "0\n");
        file(d + "devices", "\n");
        file(d + "quota", "64\n");
        file(d + "freq_ctl", "0\n");
        file(d + "freq_min_khz", "0\n");
        file(d + "freq_max_khz", "0\n");
        file(d + "sched", "other\n");
        file(d + "spin_max_us", "50\n");
        file(d + "freq_max_rate", "100\n");
        file(d + "enabled", "0\n");
        file(d + "stats", "cpu=0 packets=0 polls=0\n");
        file("sys/kernel/livepatch/eekbp_livepatch/enabled", "1\n");
        file("sys/kernel/livepatch/eekbp_livepatch/transition", "0\n");
        return this;
    }
}
