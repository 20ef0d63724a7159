package dev.eekbp.agent.ffi;

/**
 * A failed native call: the C function, the errno number and its symbolic name,
 * and a message an operator can act on.
 */
public final class NativeException extends Exception {
    private final String call;
    private final int errno;

    public NativeException(String call, int errno, String message) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /** An exception whose message is "call: ENAME (description)" plus context. */
    public static NativeException of(String call, int errno, String context) {
        String base = call + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
        return new NativeException(call, errno, context == null || context.isEmpty() ? base : context + ": " + base);
    }

    /** The native function or syscall that failed, e.g. "finit_module". */
    public String call() {
        return call;
    }

    /** The errno number (0 if the failure did not come with one). */
    public int errno() {
        return errno;
    }

    /** Symbolic errno name, e.g. "ENOSYS". */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** Same call, same errno, a better operator message. */
    public NativeException withMessage(String message) {
        NativeException e = new NativeException(call, errno, message);
        e.initCause(this);
        return e;
    }
}
