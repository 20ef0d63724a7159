package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends one small UDP datagram per interval to an echo endpoint and records
 * the round-trip time (ns) into an HdrHistogram Recorder. A reply that does
 * not arrive within the interval counts as lost; late replies to older
 * probes are discarded. Packets and buffers are reused.
 */
public final class UdpProber implements AutoCloseable {
    static final long HIGHEST_NS = 60_000_000_000L;
    static final int PAYLOAD = 16;

    private final InetSocketAddress target;
    private final Duration interval;
    private final Recorder recorder = new Recorder(1_000, HIGHEST_NS, 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final DatagramSocket socket;
    private final byte[] out = new byte[PAYLOAD];
    private final byte[] in = new byte[64];
    private final DatagramPacket outPacket;
    private final DatagramPacket inPacket = new DatagramPacket(in, in.length);
    private final ByteBuffer outView = ByteBuffer.wrap(out);
    private final ByteBuffer inView = ByteBuffer.wrap(in);
    private volatile boolean running = true;
    private final Thread thread;

    public UdpProber(InetSocketAddress target, Duration interval) throws IOException {
        this.target = target;
        this.interval = interval;
        this.socket = new DatagramSocket();
        this.socket.connect(target);
        this.outPacket = new DatagramPacket(out, out.length, target);
        this.thread = Thread.ofPlatform().daemon().name("eekbp-prober").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    public InetSocketAddress target() {
        return target;
    }

    private void run() {
        long seq = 0;
        long period = interval.toNanos();
        long next = System.nanoTime();
        while (running) {
            seq++;
            long t0 = System.nanoTime();
            outView.putLong(0, seq);
            outView.putLong(8, t0);
            try {
                socket.send(outPacket);
                sent.incrementAndGet();
                if (awaitReply(seq, t0 + period)) {
                    long rtt = System.nanoTime() - t0;
                    recorder.recordValue(Math.min(Math.max(rtt, 1), HIGHEST_NS));
                    received.incrementAndGet();
                } else {
                    lost.incrementAndGet();
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                lost.incrementAndGet();
            }
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    /**
     * Waits until deadline for the echo of seq; older echoes are skipped. The
     * socket timeout has millisecond resolution: the wait is rounded up (a
     * sub-millisecond remainder would otherwise be 0, which means no wait),
     * and a reply that arrives after the deadline counts as lost.
     */
    private boolean awaitReply(long seq, long deadline) throws IOException {
        while (true) {
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            long leftMs = (leftNs + 999_999L) / 1_000_000L;
            socket.setSoTimeout((int) Math.min(leftMs, Integer.MAX_VALUE));
            try {
                inPacket.setLength(in.length);
                socket.receive(inPacket);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (inPacket.getLength() >= 8 && inView.getLong(0) == seq) {
                return System.nanoTime() - deadline <= 0;
            }
        }
    }

    /** Moves the values recorded since the last call into target (reset first). */
    public void intervalHistogram(Histogram recycle) {
        recorder.getIntervalHistogramInto(recycle);
    }

    public long sent() {
        return sent.get();
    }

    public long received() {
        return received.get();
    }

    public long lost() {
        return lost.get();
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
