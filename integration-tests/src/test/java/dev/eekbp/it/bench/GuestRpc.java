package dev.eekbp.it.bench;

import dev.eekbp.it.harness.RunningGuest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Commands to bench-guest.sh through the shared results folder: the host
 * writes rpc/cmd.N (atomically), the guest answers rpc/out.N and rpc/done.N
 * (its exit code).
 */
final class GuestRpc {

    private final RunningGuest guest;
    private final Path dir;
    private int seq;

    GuestRpc(RunningGuest guest) {
        this.guest = guest;
        this.dir = guest.results().resolve("rpc");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Runs one command in the guest; fails with its output unless it exits 0. */
    String call(Duration timeout, String... words) {
        String cmd = String.join(" ", words);
        int n = seq++;
        Path tmp = dir.resolve("cmd." + n + ".tmp");
        Path done = dir.resolve("done." + n);
        try {
            Files.writeString(tmp, cmd + "\n");
            Files.move(tmp, dir.resolve("cmd." + n), StandardCopyOption.ATOMIC_MOVE);
            long until = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(done)) {
                if (!guest.isAlive()) {
                    throw new IllegalStateException("guest ended during '" + cmd + "'\n"
                            + tail(guest.serialLog()));
                }
                if (System.nanoTime() - until > 0) {
                    throw new IllegalStateException("guest did not answer '" + cmd + "' within "
                            + timeout.toSeconds() + " s\n" + tail(guest.serialLog()));
                }
                Thread.sleep(50);
            }
            Path outFile = dir.resolve("out." + n);
            String out = Files.exists(outFile) ? Files.readString(outFile) : "";
            String code = Files.readString(done).strip();
            if (!code.equals("0")) {
                throw new IllegalStateException("guest command '" + cmd + "' exited " + code
                        + ":\n" + out + "\n" + tail(guest.serialLog()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("guest command '" + cmd + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during '" + cmd + "'", e);
        }
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 40);
        return "--- serial log (last 40 lines) ---\n"
                + String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
