package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds the static udp-echo (guest echo target, container payload) once. */
public final class EchoBinary {

    private EchoBinary() {
    }

    /** build/bench/udp-echo under the repo root, rebuilt when its source is newer. */
    public static Path build(Path root) {
        Path src = root.resolve("integration-tests/src/test/resources/guest/bench/udp-echo.c");
        Path out = root.resolve("build/bench/udp-echo");
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out)
                    .compareTo(Files.getLastModifiedTime(src)) > 0) {
                return out;
            }
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling("udp-echo.tmp");
            Process p = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-o", tmp.toString(),
                    src.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc -static failed for " + src + ":\n" + log
                        + "\n(needs gcc and libc6-dev; 'make deps')");
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + out, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
