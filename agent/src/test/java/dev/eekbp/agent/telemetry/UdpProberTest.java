package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class UdpProberTest {
    private static void await(UdpProber p, int sent) throws InterruptedException {
        for (int i = 0; i < 500 && p.sent() < sent; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void oneMillisecondIntervalGetsReplies() throws Exception {
        try (DatagramSocket echo = echo()) {
            try (UdpProber p = new UdpProber(new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
                    Duration.ofMillis(1))) {
                p.start();
                await(p, 200);
                assertThat(p.sent()).isGreaterThanOrEqualTo(200);
                assertThat(p.received()).as("replies at probe_interval_ms=1 (lost %d)", p.lost()).isPositive();
            }
        }
    }

    private static DatagramSocket echo() throws IOException {
        DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[64];
            DatagramPacket pk = new DatagramPacket(b, b.length);
            while (!echo.isClosed()) {
                try {
                    pk.setLength(b.length);
                    echo.receive(pk);
                    echo.send(pk);
                } catch (IOException e) {
                    return;
                }
            }
        });
        return echo;
    }

    @Test
    void echoedProbesAreRecordedInTheInterval() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[64];
                DatagramPacket pk = new DatagramPacket(b, b.length);
                while (!echo.isClosed()) {
                    try {
                        pk.setLength(b.length);
                        echo.receive(pk);
                        echo.send(pk);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (UdpProber p = new UdpProber(new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
                    Duration.ofMillis(10))) {
                p.start();
                await(p, 5);
                Thread.sleep(50);
                Histogram h = new Histogram(1_000, UdpProber.HIGHEST_NS, 3);
                p.intervalHistogram(h);
                assertThat(h.getTotalCount()).isGreaterThanOrEqualTo(4);
                // a probe is recorded just before it is counted as received
                assertThat(p.received() + 1).isGreaterThanOrEqualTo(h.getTotalCount());
                assertThat(h.getMaxValue()).isPositive();
                long first = h.getTotalCount();
                p.intervalHistogram(h); // the next interval holds only what came after
                assertThat(h.getTotalCount()).isLessThanOrEqualTo(p.received() + 1 - first);
            }
        }
    }

    @Test
    void probesWithoutAnEchoAreLost() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nobody answers there
        }
        try (UdpProber p = new UdpProber(new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(10))) {
            p.start();
            await(p, 4);
            Thread.sleep(30);
            assertThat(p.received()).isZero();
            assertThat(p.lost()).isGreaterThanOrEqualTo(3);
        }
    }
}
