package dev.eekbp.agent.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a module file in user space for kernels that cannot do it
 * (no /sys/module/compression): gzip in Java, xz and zstd with their tools.
 */
final class ModuleImage {
    private ModuleImage() {
    }

    static byte[] decompress(Path file, String algo) throws KernelException {
        try {
            if (algo.equals("gzip")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            String tool = algo.equals("xz") ? "xz" : "zstd";
            Process p = new ProcessBuilder(List.of(tool, "-dc", file.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] image = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new KernelException(tool + " -dc " + file + " failed (exit " + (p.isAlive() ? "timeout"
                        : p.exitValue()) + "): install the uncompressed module or check the file");
            }
            return image;
        } catch (IOException e) {
            throw new KernelException("cannot decompress " + file + " (the kernel does not decompress " + algo
                    + " modules itself: /sys/module/compression does not say " + algo + "): " + e.getMessage()
                    + "; install " + (algo.equals("zstd") ? "zstd" : "xz-utils") + " or an uncompressed module", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while decompressing " + file, e);
        }
    }
}
