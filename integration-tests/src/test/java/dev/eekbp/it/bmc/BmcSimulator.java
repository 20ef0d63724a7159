package dev.eekbp.it.bmc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BMC for QEMU's ipmi-bmc-extern over a Unix socket: answers what the
 * Linux ipmi_si / ipmi_msghandler drivers ask at probe time (Get Device ID,
 * global enables, message flags) and DCMI Get Power Reading. The DCMI
 * behaviour is read from a control file on every request: "normal" (the
 * configured reading), "c1" (completion code 0xC1) or "zeros" (all-zero
 * data, as some real BMCs answer). Everything else gets 0xC1.
 */
public final class BmcSimulator implements AutoCloseable {
    /** What a normal DCMI reading reports. */
    public record Reading(int current, int min, int max, int average, long periodMs) {
    }

    private final Path socket;
    private final Reading reading;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile Path controlFile;
    private volatile boolean running = true;
    private volatile SocketChannel client;
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();

    public BmcSimulator(Path socket, Reading reading) throws IOException {
        this.socket = socket;
        this.reading = reading;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = Thread.ofPlatform().daemon().name("bmc-sim").start(this::serve);
    }

    public Path socket() {
        return socket;
    }

    /** The QEMU arguments that attach a KCS interface to this BMC. */
    public List<String> qemuArgs() {
        return List.of("-chardev", "socket,id=ipmi0,path=" + socket + ",reconnect=1",
                "-device", "ipmi-bmc-extern,id=bmc0,chardev=ipmi0",
                "-device", "isa-ipmi-kcs,bmc=bmc0");
    }

    /** File whose first word selects the DCMI behaviour (missing = normal). */
    public void controlFile(Path f) {
        this.controlFile = f;
    }

    /** Requests seen, by "netfn/cmd" in hex (e.g. "2c/02"), and "dcmi-normal" etc. */
    public int count(String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    public int connections() {
        return connections.get();
    }

    private void serve() {
        while (running) {
            try (SocketChannel c = server.accept()) {
                client = c;
                connections.incrementAndGet();
                VmCodec codec = new VmCodec();
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (running) {
                    in.clear();
                    int n = c.read(in);
                    if (n < 0) {
                        break;
                    }
                    for (VmCodec.Frame f : codec.feed(in.array(), n)) {
                        if (f.message()) {
                            byte[] reply = handle(f.bytes());
                            c.write(ByteBuffer.wrap(VmCodec.encodeMessage(reply)));
                        }
                    }
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** Request [seq, netfn<<2|lun, cmd, data...] to reply [seq, rsp netfn, cmd, cc, data...]. */
    byte[] handle(byte[] req) {
        int seq = req[0] & 0xFF;
        int netfnLun = req[1] & 0xFF;
        int netfn = netfnLun >> 2;
        int cmd = req[2] & 0xFF;
        String key = String.format(Locale.ROOT, "%02x/%02x", netfn, cmd);
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        byte[] data = answer(netfn, cmd);
        byte[] out = new byte[3 + data.length];
        out[0] = (byte) seq;
        out[1] = (byte) (netfnLun | 0x04);
        out[2] = (byte) cmd;
        System.arraycopy(data, 0, out, 3, data.length);
        return out;
    }

    /** Completion code followed by response data. */
    private byte[] answer(int netfn, int cmd) {
        if (netfn == 0x06) {
            return switch (cmd) {
                // Get Device ID: id 0x20, rev 1, fw 1.00, IPMI 2.0, DCMI-ish support bits, mfr 0x00A0A2
                case 0x01 -> bytes(0x00, 0x20, 0x01, 0x01, 0x00, 0x02, 0x8F, 0xA2, 0xA0, 0x00, 0x01, 0x00,
                        0x00, 0x00, 0x00, 0x00);
                case 0x2E, 0x30 -> bytes(0x00); // Set Global Enables, Clear Message Flags
                case 0x2F -> bytes(0x00, 0x0C); // Get Global Enables: event buffer, SEL
                case 0x31 -> bytes(0x00, 0x00); // Get Message Flags: nothing pending
                case 0x35 -> bytes(0x80); // Read Event Message Buffer: empty
                default -> bytes(0xC1);
            };
        }
        if (netfn == 0x2C && cmd == 0x02) {
            String mode = mode();
            counts.computeIfAbsent("dcmi-" + mode, k -> new AtomicInteger()).incrementAndGet();
            return switch (mode) {
                case "c1" -> bytes(0xC1);
                case "zeros" -> bytes(0x00, 0xDC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                default -> dcmiReading();
            };
        }
        return bytes(0xC1);
    }

    private byte[] dcmiReading() {
        long ts = System.currentTimeMillis() / 1000;
        Reading r = reading;
        return bytes(0x00, 0xDC, r.current() & 0xFF, r.current() >> 8, r.min() & 0xFF, r.min() >> 8,
                r.max() & 0xFF, r.max() >> 8, r.average() & 0xFF, r.average() >> 8,
                (int) (ts & 0xFF), (int) (ts >> 8 & 0xFF), (int) (ts >> 16 & 0xFF), (int) (ts >> 24 & 0xFF),
                (int) (r.periodMs() & 0xFF), (int) (r.periodMs() >> 8 & 0xFF), (int) (r.periodMs() >> 16 & 0xFF),
                (int) (r.periodMs() >> 24 & 0xFF), 0x40);
    }

    private String mode() {
        Path f = controlFile;
        if (f == null || !Files.exists(f)) {
            return "normal";
        }
        try {
            String s = Files.readString(f).trim();
            return s.isEmpty() ? "normal" : s;
        } catch (IOException e) {
            return "normal";
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        SocketChannel c = client;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        Files.deleteIfExists(socket);
    }
}
