package dev.eekbp.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the serial log QEMU writes to a file. */
final class SerialLog {

    private SerialLog() {
    }

    static String read(Path file) {
        try {
            byte[] b = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
            // Serial consoles emit CRLF; keep plain newlines for matching.
            return new String(b, StandardCharsets.UTF_8).replace("\r", "");
        } catch (IOException e) {
            return "(cannot read serial log " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of the log framed with the full log's path. */
    static String tailBlock(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return "--- serial log (last " + tail.size() + " of " + all.size() + " lines; full log: "
                + file + ") ---\n" + String.join("\n", tail) + "\n--- end of serial log ---";
    }
}
