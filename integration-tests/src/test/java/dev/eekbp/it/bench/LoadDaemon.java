package dev.eekbp.it.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs inside the guest's network namespace (started through hostSpawn) and
 * serves load requests from the bench over a Unix socket, so one JVM start
 * covers a whole run. Request: {@code run <ip> <port> <pps> <payload> <ms> [<train> <spacing-us>]}
 * or {@code quit}; answer: a {@link LoadResult} line or {@code error <text>}.
 */
public final class LoadDaemon {

    private LoadDaemon() {
    }

    public static void main(String[] args) throws IOException {
        Path sock = Path.of(args[0]);
        Files.deleteIfExists(sock);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            System.out.println("load daemon listening on " + sock);
            while (true) {
                try (SocketChannel c = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(
                            Channels.newInputStream(c), StandardCharsets.UTF_8));
                    OutputStream out = Channels.newOutputStream(c);
                    String line = in.readLine();
                    if (line == null || line.startsWith("quit")) {
                        break;
                    }
                    out.write((answer(line) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } finally {
            Files.deleteIfExists(sock);
        }
    }

    static String answer(String line) {
        String[] w = line.trim().split("\\s+");
        try {
            if (w.length != 6 && w.length != 8 || !w[0].equals("run")) {
                return "error expected 'run <ip> <port> <pps> <payload> <ms> [<train> <spacing-us>]',"
                        + " got '" + line + "'";
            }
            int train = w.length == 8 ? Integer.parseInt(w[6]) : 1;
            long spacingNs = w.length == 8 ? Math.round(Double.parseDouble(w[7]) * 1e3) : 0;
            LoadResult r = UdpLoad.run(new InetSocketAddress(w[1], Integer.parseInt(w[2])),
                    Double.parseDouble(w[3]), Integer.parseInt(w[4]),
                    Duration.ofMillis(Long.parseLong(w[5])), Duration.ofMillis(500), train,
                    spacingNs);
            return r.toLine();
        } catch (RuntimeException e) {
            return "error " + e;
        }
    }
}
