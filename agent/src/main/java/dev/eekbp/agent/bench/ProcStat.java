package dev.eekbp.agent.bench;

import dev.eekbp.agent.config.CpuList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Busy and total jiffies of a set of CPUs from /proc/stat (read once per cell, not per sample). */
final class ProcStat {
    private ProcStat() {
    }

    /** {busy, total} summed over {@code cpus}; busy excludes idle and iowait. */
    static long[] busyAndTotal(Path procStat, CpuList cpus) throws IOException {
        return parse(Files.readString(procStat), cpus);
    }

    static long[] parse(String text, CpuList cpus) {
        long busy = 0;
        long total = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith("cpu") || line.length() < 4 || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int cpu = Integer.parseInt(f[0].substring(3));
            if (!cpus.contains(cpu)) {
                continue;
            }
            // user nice system idle iowait irq softirq steal (guest time is inside user)
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
        }
        return new long[] {busy, total};
    }
}
