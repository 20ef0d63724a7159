package dev.eekbp.it.agent;

import dev.eekbp.agent.ffi.UnixDatagram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A NOTIFY_SOCKET stand-in for systemd, run inside the guest:
 * {@code java -cp ... dev.eekbp.it.agent.NotifyReceiver SOCKET LOGFILE}.
 * Binds the datagram socket and appends each message as one line
 * ("READY=1|STATUS=..."), prefixed with the receive time in ms since epoch.
 */
public final class NotifyReceiver {
    private NotifyReceiver() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[1]);
        try (UnixDatagram rx = UnixDatagram.bind(args[0])) {
            Files.writeString(Path.of(args[1] + ".bound"), "");
            while (true) {
                String m = rx.receive(4096, 0);
                if (m != null) {
                    append(log, System.currentTimeMillis() + " " + m.replace('\n', '|') + "\n");
                }
            }
        }
    }

    private static void append(Path log, String line) throws IOException {
        Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
