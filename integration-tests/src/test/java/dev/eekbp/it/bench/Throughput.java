package dev.eekbp.it.bench;

import java.util.List;

/** RFC 2544 zero-loss throughput of one mode and frame size in one repetition. */
public record Throughput(int rep, Mode mode, int frameBytes, double zeroLossPps,
        List<Rfc2544Search.Trial> trials) {

    /** Zero-loss rate as line bits per second, counting the frame only. */
    public double zeroLossMbps() {
        return zeroLossPps * frameBytes * 8 / 1e6;
    }
}
