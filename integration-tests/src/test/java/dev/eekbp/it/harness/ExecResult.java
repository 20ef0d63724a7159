package dev.eekbp.it.harness;

/** Outcome of a command run on the host side (inside the test's netns). */
public record ExecResult(int exit, String stdout, String stderr) {

    /** Exit code used when the command was killed for running too long. */
    public static final int TIMED_OUT = -1;

    public boolean ok() {
        return exit == 0;
    }

    /** Fails with the command's output when it did not exit 0. */
    public ExecResult assertSuccess(String what) {
        if (exit != 0) {
            throw new AssertionError(what + " exited " + exit
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
        }
        return this;
    }
}
