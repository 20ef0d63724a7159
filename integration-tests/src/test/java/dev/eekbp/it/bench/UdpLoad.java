package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;

/**
 * Paced UDP round trips against an echo server: packet i leaves at
 * start + i / pps, or in trains of {@code train} packets {@code spacing}
 * apart, one train every train / pps (sleeping, not spinning, between packets, so the load
 * generator leaves the host's CPUs to QEMU), carries its sequence number and
 * send time, and its echo yields one round-trip sample. Late or missing
 * echoes count as lost. Sends never block: a packet the socket cannot take
 * (the tap queue is full because the guest stopped receiving) is lost too,
 * so a stuck guest costs one cell, not the whole run.
 */
public final class UdpLoad {

    /** Sequence number and send time. */
    public static final int MIN_PAYLOAD = 16;
    private static final int MAX_PAYLOAD = 1472;

    private UdpLoad() {
    }

    public static LoadResult run(InetSocketAddress target, double pps, int payload,
            Duration duration, Duration drain) {
        return run(target, pps, payload, duration, drain, 1, 0);
    }

    /** When packet i leaves, in ns after the first: evenly paced, or in trains. */
    static long sendOffsetNs(long i, double pps, int train, long spacingNs) {
        if (train <= 1) {
            return (long) (i * 1e9 / pps);
        }
        return (long) ((i / train) * (train * 1e9 / pps)) + (i % train) * spacingNs;
    }

    public static LoadResult run(InetSocketAddress target, double pps, int payload,
            Duration duration, Duration drain, int train, long spacingNs) {
        if (pps <= 0 || payload < MIN_PAYLOAD || payload > MAX_PAYLOAD || train < 1
                || spacingNs < 0) {
            throw new IllegalArgumentException("pps must be > 0 and payload in " + MIN_PAYLOAD
                    + ".." + MAX_PAYLOAD + " bytes, got " + pps + " pps, " + payload + " B");
        }
        int count = (int) Math.max(1, Math.round(pps * duration.toNanos() / 1e9));
        long interval = (long) (1e9 / pps);
        long[] rtt = new long[count];
        BitSet seen = new BitSet(count);
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open();
            ch.connect(target);
            ch.configureBlocking(false);
            DatagramChannel rxch = ch;
            Thread rx = Thread.ofPlatform().name("udp-load-rx")
                    .start(() -> receive(rxch, rtt, seen));
            ByteBuffer out = ByteBuffer.allocateDirect(payload);
            long start = System.nanoTime();
            long sent = 0;
            for (int i = 0; i < count; i++) {
                long wait = start + sendOffsetNs(i, pps, train, spacingNs) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                out.clear();
                out.putLong(0, i);
                out.putLong(8, System.nanoTime());
                try {
                    ch.write(out); // 0 when the socket buffer is full: the packet is lost
                    sent++;
                } catch (PortUnreachableException e) {
                    // An earlier packet met a closed port; this one is lost too.
                    sent++;
                }
            }
            long took = System.nanoTime() - start;
            LockSupport.parkNanos(drain.toNanos());
            ch.close(); // ends the receiver
            rx.join();
            return summarize(sent, rtt, seen, count * 1e9 / Math.max(took, interval));
        } catch (IOException e) {
            throw new UncheckedIOException("UDP load to " + target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    private static void receive(DatagramChannel ch, long[] rtt, BitSet seen) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (ch.isOpen()) {
                sel.select(100);
                sel.selectedKeys().clear();
                drain(ch, in, rtt, seen);
            }
        } catch (ClosedChannelException e) {
            // closed by run(): done
        } catch (IOException e) {
            // the selector failed: the remaining echoes count as lost
        }
    }

    /** Reads every datagram waiting on the non-blocking channel. */
    private static void drain(DatagramChannel ch, ByteBuffer in, long[] rtt, BitSet seen)
            throws IOException {
        while (true) {
            in.clear();
            int n;
            try {
                n = ch.read(in);
            } catch (PortUnreachableException e) {
                continue; // ICMP for an earlier packet; keep reading
            }
            long now = System.nanoTime();
            if (n <= 0) {
                return;
            }
            if (n < MIN_PAYLOAD) {
                continue;
            }
            long seq = in.getLong(0);
            if (seq >= 0 && seq < rtt.length && !seen.get((int) seq)) {
                seen.set((int) seq);
                rtt[(int) seq] = now - in.getLong(8);
            }
        }
    }

    static LoadResult summarize(long sent, long[] rtt, BitSet seen, double offeredPps) {
        long[] got = new long[seen.cardinality()];
        int j = 0;
        for (int i = seen.nextSetBit(0); i >= 0; i = seen.nextSetBit(i + 1)) {
            got[j++] = rtt[i];
        }
        Arrays.sort(got);
        double mean = got.length == 0 ? Double.NaN
                : Arrays.stream(got).average().orElse(Double.NaN) / 1e3;
        return new LoadResult(sent, got.length, offeredPps, pct(got, 0.50), pct(got, 0.99),
                pct(got, 0.999), got.length == 0 ? Double.NaN : got[got.length - 1] / 1e3, mean);
    }

    /** Nearest-rank percentile in microseconds of sorted nanosecond samples. */
    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e3;
    }
}
