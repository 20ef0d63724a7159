package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UdpLoadTest {

    /** Echoes every datagram except every dropEvery-th one. */
    private static Thread echo(DatagramChannel ch, int dropEvery) {
        AtomicInteger n = new AtomicInteger();
        return Thread.ofPlatform().daemon().start(() -> {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    var from = ch.receive(b);
                    b.flip();
                    if (dropEvery == 0 || n.incrementAndGet() % dropEvery != 0) {
                        ch.send(b, from);
                    }
                }
            } catch (java.io.IOException e) {
                // closed
            }
        });
    }

    @Test
    void countsRoundTripsAndLossesAgainstALoopbackEcho() throws Exception {
        try (DatagramChannel server = DatagramChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            echo(server, 10);
            LoadResult r = UdpLoad.run((InetSocketAddress) server.getLocalAddress(), 400, 100,
                    Duration.ofMillis(500), Duration.ofMillis(200));
            assertThat(r.sent()).isEqualTo(200);
            assertThat(r.received()).isEqualTo(180);
            assertThat(r.lost()).isEqualTo(20);
            assertThat(r.p50Us()).isPositive().isLessThanOrEqualTo(r.p99Us());
            assertThat(r.p99Us()).isLessThanOrEqualTo(r.maxUs());
            assertThat(LoadResult.parse(r.toLine())).isEqualTo(r);
        }
    }

    @Test
    void daemonAnswersOverItsUnixSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        try (DatagramChannel server = DatagramChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            echo(server, 0);
            java.nio.file.Path sock = tmp.resolve("load.sock");
            Thread d = Thread.ofPlatform().daemon().start(() -> {
                try {
                    LoadDaemon.main(new String[] {sock.toString()});
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            LoadClient c = new LoadClient(sock);
            c.awaitReady(Duration.ofSeconds(10));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            LoadResult r = c.run("127.0.0.1", port, 200, 18, Duration.ofMillis(250));
            assertThat(r.sent()).isEqualTo(50);
            assertThat(r.lost()).isZero();
            c.quit();
            d.join(5000);
            assertThat(d.isAlive()).isFalse();
        }
    }
}
