package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host command to completion with a time limit, capturing its output. */
final class HostCommand {

    static final ProcessBuilder.Redirect NULL_INPUT =
            ProcessBuilder.Redirect.from(new java.io.File("/dev/null"));

    private HostCommand() {
    }

    static ExecResult run(List<String> argv, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(NULL_INPUT).start();
        } catch (IOException e) {
            return new ExecResult(127, "", "cannot start " + argv + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.killTree(p.toHandle());
                return new ExecResult(ExecResult.TIMED_OUT, out.join(),
                        err.join() + "\n(killed after " + timeout.toSeconds() + " s: " + argv + ")");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Processes.killTree(p.toHandle());
            Thread.currentThread().interrupt();
            return new ExecResult(ExecResult.TIMED_OUT, "", "interrupted: " + argv);
        }
    }

    /** Like {@link #run} but throws with the output when the exit code is not 0. */
    static ExecResult check(List<String> argv, Duration timeout) {
        ExecResult r = run(argv, timeout);
        if (!r.ok()) {
            throw new IllegalStateException("host command failed (exit " + r.exit() + "): "
                    + String.join(" ", argv) + "\n" + r.stderr().strip() + "\n" + r.stdout().strip());
        }
        return r;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }
}
