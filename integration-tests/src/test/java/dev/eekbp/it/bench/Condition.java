package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A traffic condition: one of the paper's Table 2 rows (rate x frame size)
 * with its packet interval multiplied by {@code scale} so a TCG guest can
 * carry it, or idle (no traffic).
 *
 * @param id         stable name for files ("80M-1518", "idle")
 * @param paperRate  the paper's line rate ("80 Mbps", "1 Gbps", "-")
 * @param frameBytes Ethernet frame size incl. FCS (0 when idle)
 * @param paperIntervalUs the paper's packet interval in microseconds
 * @param pps        packets per second offered here (0 when idle)
 */
public record Condition(String id, String paperRate, int frameBytes, double paperIntervalUs,
        double pps) {

    /** Ethernet header + FCS + IPv4 + UDP. */
    public static final int FRAME_OVERHEAD = 14 + 4 + 20 + 8;
    public static final Condition IDLE = new Condition("idle", "-", 0, 0, 0);

    public boolean idle() {
        return pps == 0;
    }

    /** UDP payload that makes a frame of frameBytes. */
    public int payloadBytes() {
        return Math.max(UdpLoad.MIN_PAYLOAD, frameBytes - FRAME_OVERHEAD);
    }

    public String label() {
        return idle() ? "idle" : paperRate + " / " + frameBytes + " B";
    }

    /** Scaled packet interval in microseconds. */
    public double intervalUs() {
        return idle() ? 0 : 1e6 / pps;
    }

    /** The six conditions of the paper's Table 2, intervals times scale. */
    public static List<Condition> paper(double scale) {
        List<Condition> out = new ArrayList<>();
        add(out, "80M", "80 Mbps", new int[] {1518, 512, 64}, new double[] {151.8, 51.2, 6.4},
                scale);
        add(out, "1G", "1 Gbps", new int[] {1518, 512, 64}, new double[] {12.1, 4.1, 0.5},
                scale);
        return out;
    }

    private static void add(List<Condition> out, String rateId, String rate, int[] frames,
            double[] intervals, double scale) {
        for (int i = 0; i < frames.length; i++) {
            out.add(new Condition(rateId + "-" + frames[i], rate, frames[i], intervals[i],
                    1e6 / (intervals[i] * scale)));
        }
    }
}
