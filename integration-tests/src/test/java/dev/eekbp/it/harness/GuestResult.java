package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome of one guest: the script's exit code, the results folder the
 * guest wrote into, and the serial log.
 */
public final class GuestResult {

    /** Exit code when the guest never reported one (timeout, panic, crash). */
    public static final int NO_EXIT_CODE = -1;

    private static final int TAIL_LINES = 80;
    private static final Pattern TEST_LINE =
            Pattern.compile("^TEST: (.*?)\\s*\\[ ?(OK|FAIL|SKIP) ?\\]\\s*$", Pattern.MULTILINE);

    private final String name;
    private final int exitCode;
    private final boolean timedOut;
    private final boolean killed;
    private final Path results;
    private final Path logFile;
    private final Duration wallTime;

    GuestResult(String name, int exitCode, boolean timedOut, Path results, Path logFile,
            Duration wallTime) {
        this(name, exitCode, timedOut, false, results, logFile, wallTime);
    }

    GuestResult(String name, int exitCode, boolean timedOut, boolean killed, Path results,
            Path logFile, Duration wallTime) {
        this.name = name;
        this.exitCode = exitCode;
        this.timedOut = timedOut;
        this.killed = killed;
        this.results = results;
        this.logFile = logFile;
        this.wallTime = wallTime;
    }

    /** The guest script's exit code, or {@link #NO_EXIT_CODE}. */
    public int exitCode() {
        return exitCode;
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** The host folder the guest saw as $RESULTS. */
    public Path results() {
        return results;
    }

    /** The full serial log file (kept under integration-tests/target/guest-logs). */
    public Path logFile() {
        return logFile;
    }

    /** Boot to QEMU exit. */
    public Duration wallTime() {
        return wallTime;
    }

    public String serialLog() {
        return SerialLog.read(logFile);
    }

    /** The text of a file the guest wrote into $RESULTS; fails when absent. */
    public String file(String name) {
        Path p = path(name);
        if (!Files.isRegularFile(p)) {
            throw failure("guest did not write $RESULTS/" + name);
        }
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host path of $RESULTS/name (may not exist). */
    public Path path(String name) {
        return results.resolve(name);
    }

    /** Fails, with the tail of the serial log, unless the script exited 0. */
    public GuestResult assertSuccess() {
        if (exitCode != 0 || timedOut) {
            throw failure(describeExit());
        }
        return this;
    }

    /** Fails, with the serial log tail, when any TEST line says FAIL or none exist. */
    public GuestResult assertTestsPassed() {
        List<String> failed = failedTests();
        if (testLines().isEmpty()) {
            throw failure("guest printed no 'TEST: name [ OK ]' lines (" + describeExit() + ")");
        }
        if (!failed.isEmpty()) {
            throw failure("guest tests failed: " + String.join(", ", failed));
        }
        return assertSuccess();
    }

    /** Every "TEST: name [ OK ]" / "[FAIL]" / "[SKIP]" line of the serial log. */
    public List<String> testLines() {
        List<String> out = new ArrayList<>();
        Matcher m = TEST_LINE.matcher(serialLog());
        while (m.find()) {
            out.add(m.group(0).strip());
        }
        return out;
    }

    /** Names of the cases that printed [FAIL]. */
    public List<String> failedTests() {
        List<String> out = new ArrayList<>();
        Matcher m = TEST_LINE.matcher(serialLog());
        while (m.find()) {
            if (m.group(2).equals("FAIL")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** An AssertionError whose message carries the serial log tail and its path. */
    public AssertionError failure(String message) {
        return new AssertionError(message + " [guest " + name + "]\n"
                + SerialLog.tailBlock(logFile, TAIL_LINES));
    }

    private String describeExit() {
        if (timedOut) {
            return "guest timed out after " + wallTime.toSeconds() + " s";
        }
        if (exitCode == NO_EXIT_CODE && killed) {
            return "guest killed by close() before its script ended";
        }
        if (exitCode == NO_EXIT_CODE) {
            return "guest ended without reporting an exit code (kernel panic or crash?)";
        }
        return "guest script exited " + exitCode;
    }

    @Override
    public String toString() {
        return "GuestResult[" + name + ", " + describeExit() + ", " + wallTime.toMillis() + " ms]";
    }
}
