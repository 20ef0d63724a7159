package dev.eekbp.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Log lines for the systemd journal: when stderr is the journal stream
 * ($JOURNAL_STREAM names its device and inode), each line of slf4j-simple's
 * output gets an sd-daemon priority prefix ("<3>" error, "<4>" warning,
 * "<6>" info, "<7>" debug) instead of the "[LEVEL]" tag, and no timestamp
 * (the journal adds its own). Elsewhere the output stays as configured.
 */
public final class JournalLog {
    private JournalLog() {
    }

    /** Call first in main, before any logger exists. */
    public static void install(Map<String, String> env) {
        String stream = env.get("JOURNAL_STREAM");
        if (stream == null || !stream.equals(stderrDevIno())) {
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        System.setErr(new PrintStream(new PriorityPrefix(System.err), true, StandardCharsets.UTF_8));
    }

    /** "dev:inode" of fd 2 as $JOURNAL_STREAM writes them, or "" if unknown. */
    static String stderrDevIno() {
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            return Files.getAttribute(fd2, "unix:dev") + ":" + Files.getAttribute(fd2, "unix:ino");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Rewrites "[LEVEL] rest" lines to "<N>rest"; continuation lines keep the last priority. */
    static final class PriorityPrefix extends FilterOutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private String priority = "<6>";

        PriorityPrefix(OutputStream out) {
            super(out);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (b == '\n') {
                emit();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void emit() throws IOException {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            String rest = s;
            for (String[] tag : new String[][] {{"[ERROR] ", "<3>"}, {"[WARN] ", "<4>"}, {"[INFO] ", "<6>"},
                {"[DEBUG] ", "<7>"}, {"[TRACE] ", "<7>"}}) {
                if (s.startsWith(tag[0])) {
                    priority = tag[1];
                    rest = s.substring(tag[0].length());
                    break;
                }
            }
            out.write((priority + rest + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }
}
