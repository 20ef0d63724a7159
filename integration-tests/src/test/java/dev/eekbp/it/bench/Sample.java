package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One second of the guest's served CPU over a run (the paper's Fig. 8 plots
 * power over time; a TCG guest has no power source, so CPU busy share and
 * frequency stand in).
 *
 * @param tMs     guest wall clock at the end of the second
 * @param freqKhz scaling_cur_freq (0 without cpufreq)
 */
public record Sample(long tMs, double cpuBusyPct, long freqKhz) {

    /** Lines "tMs user nice system idle iowait irq softirq steal freq" -> per-second samples. */
    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        long[] prev = null;
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 10) {
                continue;
            }
            long[] cur = new long[10];
            try {
                for (int i = 0; i < 10; i++) {
                    cur[i] = Long.parseLong(w[i]);
                }
            } catch (NumberFormatException e) {
                continue;
            }
            if (prev != null) {
                long total = 0;
                long idle = 0;
                for (int i = 1; i <= 8; i++) {
                    total += cur[i] - prev[i];
                }
                idle = cur[4] - prev[4] + cur[5] - prev[5];
                if (total > 0) {
                    out.add(new Sample(cur[0], 100.0 * (total - idle) / total, cur[9]));
                }
            }
            prev = cur;
        }
        return out;
    }
}
