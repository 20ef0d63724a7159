package dev.eekbp.agent.bench;

/** The bench could not run or could not restore the machine; the message says what to do. */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
