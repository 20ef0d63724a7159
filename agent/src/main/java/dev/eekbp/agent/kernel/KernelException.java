package dev.eekbp.agent.kernel;

/** The kernel side is not in the state the agent needs; the message says what to do. */
public final class KernelException extends Exception {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
