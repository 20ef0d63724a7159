package dev.eekbp.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private network namespace holding the guest's tap, host side
 * 198.18.0.1/24. Deleting the namespace deletes the tap with it.
 */
final class NetNamespace implements AutoCloseable {

    static final String HOST_ADDRESS = "198.18.0.1";
    static final String GUEST_ADDRESS = "198.18.0.2";
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final String tap;
    private boolean closed;

    private NetNamespace(String name, String tap) {
        this.name = name;
        this.tap = tap;
    }

    /** Creates the namespace and an up tap with the host address in it. */
    static NetNamespace create(String name, String tap) {
        return create(name, tap, false);
    }

    /** As {@link #create(String, String)}; multiQueue makes a tap QEMU may open per queue. */
    static NetNamespace create(String name, String tap, boolean multiQueue) {
        HostCommand.check(List.of("ip", "netns", "add", name), IP_TIMEOUT);
        NetNamespace ns = new NetNamespace(name, tap);
        try {
            ns.ip("link", "set", "lo", "up");
            if (multiQueue) {
                ns.ip("tuntap", "add", "dev", tap, "mode", "tap", "multi_queue");
            } else {
                ns.ip("tuntap", "add", "dev", tap, "mode", "tap");
            }
            ns.ip("addr", "add", HOST_ADDRESS + "/24", "dev", tap);
            ns.ip("link", "set", tap, "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    String tap() {
        return tap;
    }

    /** argv prefix that runs a command inside this namespace. */
    List<String> exec(List<String> argv) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(argv);
        return out;
    }

    static boolean exists(String name) {
        return Files.exists(Path.of("/run/netns", name));
    }

    private void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        HostCommand.check(argv, IP_TIMEOUT);
    }

    /** Deletes the tap and the namespace; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        HostCommand.run(List.of("ip", "-n", name, "link", "del", tap), IP_TIMEOUT);
        ExecResult r = HostCommand.run(List.of("ip", "netns", "del", name), IP_TIMEOUT);
        if (!r.ok() && exists(name)) {
            throw new IllegalStateException("cannot delete netns " + name + ": " + r.stderr());
        }
    }
}
