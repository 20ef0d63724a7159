package dev.eekbp.it.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake /sys tree of a 2-CPU machine on which the eekbp module and its
 * livepatch look loaded, so `eekbp run --sysfs-root` adopts them without
 * any module syscall (this host cannot load modules).
 */
final class FakeMachine {
    private FakeMachine() {
    }

    static Path create(Path root) throws IOException {
        write(root, "sys/devices/system/cpu/online", "0-1");
        for (int cpu = 0; cpu < 2; cpu++) {
            String d = "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/";
            write(root, d + "scaling_driver", "eekbp_testfreq");
            write(root, d + "scaling_governor", "schedutil");
            write(root, d + "scaling_available_governors", "userspace schedutil");
        }
        write(root, "sys/module/eekbp/initstate", "live");
        write(root, "sys/module/eekbp_livepatch/initstate", "live");
        String[][] attrs = {{"abi_version", "1"}, {"mode", "napi"}, {"cpus", "0"}, {"devices", ""}, {"quota", "64"},
            {"freq_ctl", "0"}, {"freq_min_khz", "0"}, {"freq_max_khz", "0"}, {"enabled", "0"},
            {"sched", "other"}, {"spin_max_us", "50"}, {"freq_max_rate", "100"}};
        for (String[] a : attrs) {
            write(root, "sys/kernel/eekbp/" + a[0], a[1]);
        }
        write(root, "sys/kernel/livepatch/eekbp_livepatch/enabled", "1");
        write(root, "sys/kernel/livepatch/eekbp_livepatch/transition", "0");
        return root;
    }

    private static void write(Path root, String rel, String value) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, value + "\n");
    }
}
