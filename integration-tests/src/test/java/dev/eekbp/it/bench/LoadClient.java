package dev.eekbp.it.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Host-side end of {@link LoadDaemon}'s Unix socket. */
public final class LoadClient {

    private final Path socket;

    public LoadClient(Path socket) {
        this.socket = socket;
    }

    /** Waits until the daemon listens (its JVM is starting). */
    public void awaitReady(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("load daemon did not create " + socket + " within "
                        + timeout.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    public LoadResult run(String ip, int port, double pps, int payload, Duration d) {
        return run(ip, port, pps, payload, d, 1, 0);
    }

    /** Trains of {@code train} packets spacingUs apart at a mean of pps. */
    public LoadResult run(String ip, int port, double pps, int payload, Duration d, int train,
            double spacingUs) {
        String line = request(String.format(java.util.Locale.ROOT, "run %s %d %.3f %d %d %d %.1f",
                ip, port, pps, payload, d.toMillis(), train, spacingUs));
        if (line == null || line.startsWith("error")) {
            throw new IllegalStateException("load daemon: " + line);
        }
        return LoadResult.parse(line);
    }

    public void quit() {
        try {
            request("quit");
        } catch (RuntimeException e) {
            // Already gone.
        }
    }

    private String request(String line) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(c).write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new IllegalStateException("load daemon at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
