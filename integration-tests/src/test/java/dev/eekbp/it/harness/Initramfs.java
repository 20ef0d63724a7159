package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

/**
 * The busybox initramfs of one kernel, built by scripts/make-initramfs.sh and
 * cached as build/initramfs/&lt;kver&gt;.cpio.gz until its inputs change.
 */
final class Initramfs {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private Initramfs() {
    }

    static synchronized Path forKernel(Kernel k) {
        Path root = k.root();
        Path dir = root.resolve("build/initramfs");
        Path out = dir.resolve(k.version() + ".cpio.gz");
        Path script = root.resolve("scripts/make-initramfs.sh");
        List<Path> inputs = List.of(script, root.resolve("integration-tests/guest/init"),
                root.resolve("integration-tests/guest/stage2.sh"),
                root.resolve("integration-tests/guest/systemd-root.sh"));
        if (fresh(out, inputs)) {
            return out;
        }
        try {
            Files.createDirectories(dir);
            // Other test JVMs may build the same image at the same time.
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    if (!fresh(out, inputs)) {
                        HostCommand.check(List.of(script.toString(), k.version(),
                                k.imageRoot().toString(), out.toString()), BUILD_TIMEOUT);
                    }
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the initramfs for " + k, e);
        }
        return out;
    }

    private static boolean fresh(Path out, List<Path> inputs) {
        try {
            if (!Files.isRegularFile(out)) {
                return false;
            }
            FileTime built = Files.getLastModifiedTime(out);
            for (Path in : inputs) {
                if (Files.getLastModifiedTime(in).compareTo(built) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
