package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The in-guest latency instrument's two histograms for one cell
 * (guest/bench/latency-trace.sh, dumped by "snap &lt;id&gt; lat"): NIC hardIRQ
 * to the first packet a poll hands to the stack, and to the first UDP
 * datagram queued to a socket. {@link #NONE} for cells run without it.
 */
public record GuestLatency(LatencyHist irq2rx, LatencyHist irq2sock) {

    public static final GuestLatency NONE = new GuestLatency(LatencyHist.EMPTY, LatencyHist.EMPTY);

    /** The histograms lat_dump wrote into dir (irq2rx, irq2sock). */
    public static GuestLatency read(Path dir) {
        try {
            return new GuestLatency(LatencyHist.read(dir.resolve("irq2rx")),
                    LatencyHist.read(dir.resolve("irq2sock")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read latency histograms in " + dir, e);
        }
    }

    public boolean measured() {
        return irq2rx.total() > 0 || irq2sock.total() > 0;
    }
}
