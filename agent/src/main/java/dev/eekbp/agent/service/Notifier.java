package dev.eekbp.agent.service;

import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.ffi.UnixDatagram;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) for Type=notify units: READY=1, STATUS=, WATCHDOG=1, STOPPING=1
 * sent as datagrams to $NOTIFY_SOCKET. Without that variable every call is a no-op.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final String socket;
    private final UnixDatagram out;
    private final Optional<Duration> watchdog;

    private Notifier(String socket, UnixDatagram out, Optional<Duration> watchdog) {
        this.socket = socket;
        this.out = out;
        this.watchdog = watchdog;
    }

    /** From NOTIFY_SOCKET and WATCHDOG_USEC (honouring WATCHDOG_PID) of the given environment. */
    public static Notifier fromEnvironment(Map<String, String> env) {
        String socket = env.getOrDefault("NOTIFY_SOCKET", "");
        Optional<Duration> wd = Optional.empty();
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        String wdPid = env.getOrDefault("WATCHDOG_PID", "");
        boolean forUs = wdPid.isEmpty() || wdPid.equals(Long.toString(ProcessHandle.current().pid()));
        if (usec.matches("[0-9]{1,15}") && forUs && Long.parseLong(usec) > 0) {
            wd = Optional.of(Duration.ofNanos(Long.parseLong(usec) * 1000));
        }
        if (socket.isEmpty()) {
            return new Notifier("", null, wd);
        }
        try {
            return new Notifier(socket, UnixDatagram.open(), wd);
        } catch (NativeException e) {
            LOG.warn("sd_notify disabled: {}", e.getMessage());
            return new Notifier("", null, wd);
        }
    }

    public boolean active() {
        return out != null;
    }

    /** How often to send WATCHDOG=1 (half the systemd timeout), if a watchdog is set. */
    public Optional<Duration> watchdogInterval() {
        return watchdog.map(d -> d.dividedBy(2));
    }

    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    public void watchdog() {
        send("WATCHDOG=1");
    }

    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    private void send(String message) {
        if (out == null) {
            return;
        }
        try {
            out.send(socket, message);
        } catch (NativeException e) {
            LOG.warn("sd_notify to {} failed: {}", socket, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (out != null) {
            out.close();
        }
    }
}
