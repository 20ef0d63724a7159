package dev.eekbp.it.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A traffic condition: one of the paper's Table 2 rows (rate x frame size)
 * with its packet interval multiplied by {@code scale} so a TCG guest can
 * carry it, a point of the rate sweep, a train pattern, or idle.
 *
 * @param id         stable name for files ("80M-1518", "sweep-3", "burst-12x500us", "idle")
 * @param paperRate  the paper's line rate ("80 Mbps", "1 Gbps"), or the kind ("sweep", "burst", "-")
 * @param frameBytes Ethernet frame size incl. FCS (0 when idle)
 * @param paperIntervalUs the paper's packet interval in microseconds (0 outside the paper's rows)
 * @param pps        mean packets per second offered here (0 when idle)
 * @param train      packets per train (1: evenly paced)
 * @param spacingUs  gap between the packets of one train (0 when train is 1)
 */
public record Condition(String id, String paperRate, int frameBytes, double paperIntervalUs,
        double pps, int train, double spacingUs) {

    /** Ethernet header + FCS + IPv4 + UDP. */
    public static final int FRAME_OVERHEAD = 14 + 4 + 20 + 8;
    public static final Condition IDLE = new Condition("idle", "-", 0, 0, 0);
    static final String SWEEP = "sweep";
    static final String BURST = "burst";

    public Condition {
        if (train < 1 || spacingUs < 0 || train > 1 && pps > 0
                && (train - 1) * spacingUs >= 1e6 * train / pps) {
            throw new IllegalArgumentException("condition " + id + ": a train of " + train
                    + " packets " + spacingUs + " us apart does not fit its period at " + pps
                    + " pps");
        }
    }

    /** An evenly paced condition. */
    public Condition(String id, String paperRate, int frameBytes, double paperIntervalUs,
            double pps) {
        this(id, paperRate, frameBytes, paperIntervalUs, pps, 1, 0);
    }

    public boolean idle() {
        return pps == 0;
    }

    public boolean sweep() {
        return paperRate.equals(SWEEP);
    }

    public boolean bursty() {
        return train > 1;
    }

    /** The paper's 80 Mbps rows: sparse traffic. */
    public boolean sparse() {
        return id.startsWith("80M-");
    }

    /** UDP payload that makes a frame of frameBytes. */
    public int payloadBytes() {
        return Math.max(UdpLoad.MIN_PAYLOAD, frameBytes - FRAME_OVERHEAD);
    }

    public String label() {
        if (idle()) {
            return "idle";
        }
        if (bursty()) {
            return "trains of " + train + " x " + MarkdownReport.fmt(spacingUs) + " us, "
                    + MarkdownReport.fmt(pps) + " pps";
        }
        return sweep() ? "sweep " + MarkdownReport.fmt(pps) + " pps / " + frameBytes + " B"
                : paperRate + " / " + frameBytes + " B";
    }

    /** Mean packet interval in microseconds. */
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

    /**
     * The rate sweep: {@code points} 64-byte rates doubling up to topPps
     * (topPps / 2^(points-1), ..., topPps / 2, topPps), ids sweep-1..points.
     */
    public static List<Condition> sweep(double topPps, int points) {
        if (!(topPps > 0) || points < 1) {
            throw new IllegalArgumentException("sweep needs a top rate > 0 and >= 1 point, got "
                    + topPps + " pps, " + points);
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double pps = Math.round(topPps / Math.pow(2, points - 1 - i) * 10) / 10.0;
            out.add(new Condition("sweep-" + (i + 1), SWEEP, 64, 0, pps));
        }
        return out;
    }

    /** Trains of {@code train} 64-byte packets spacingUs apart, trainsPerSecond trains a second. */
    public static Condition burst(int train, double spacingUs, double trainsPerSecond) {
        return new Condition("burst-" + train + "x" + MarkdownReport.fmt(spacingUs) + "us", BURST,
                64, 0, train * trainsPerSecond, train, spacingUs);
    }

    private static void add(List<Condition> out, String rateId, String rate, int[] frames,
            double[] intervals, double scale) {
        for (int i = 0; i < frames.length; i++) {
            out.add(new Condition(rateId + "-" + frames[i], rate, frames[i], intervals[i],
                    1e6 / (intervals[i] * scale)));
        }
    }
}
