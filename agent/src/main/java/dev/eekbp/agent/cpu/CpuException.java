package dev.eekbp.agent.cpu;

/** A CPU setting could not be changed or restored; the message names the file and the fix. */
public final class CpuException extends Exception {
    public CpuException(String message) {
        super(message);
    }

    public CpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
