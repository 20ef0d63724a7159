package dev.eekbp.agent.ffi;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.POSIXHandler;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Signal;

/**
 * The one adapter around jnr-posix: identity, file owner and mode, signals.
 * Falls back to the JDK's "unix:" file attributes if jnr-posix cannot load natively.
 */
public final class Posix {
    /** Owner, group and permission bits of a file. */
    public record FileOwner(int uid, int gid, int mode) {
        public boolean groupOrWorldWritable() {
            return (mode & 0022) != 0;
        }
    }

    private static final POSIX POSIX_IMPL = create();
    private static final int SIGHUP = 1;
    /** {@code sighandler_t signal(int, sighandler_t)}; only used to undo an inherited SIG_IGN. */
    private static final MethodHandle SIGNAL = NativeCall.plain("signal",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    /** {@code int sigaction(int, const struct sigaction *, struct sigaction *)}; struct copied as bytes. */
    private static final MethodHandle SIGACTION = NativeCall.plain("sigaction",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS));
    private static final int SIGTERM = 15;
    /** glibc's struct sigaction is 152 bytes on x86-64; room to spare. */
    private static final long SIGACTION_SIZE = 256;

    private Posix() {
    }

    private static POSIX create() {
        try {
            POSIX p = POSIXFactory.getNativePOSIX(new QuietHandler());
            return p.isNative() ? p : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** True when jnr-posix runs natively (not the JDK attribute fallback). */
    public static boolean usesJnrPosix() {
        return POSIX_IMPL != null;
    }

    /** Effective user id of this process. */
    public static int geteuid() {
        if (POSIX_IMPL != null) {
            return POSIX_IMPL.geteuid();
        }
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }

    /** lstat-free stat(2) of a path: owner, group and mode. */
    public static FileOwner stat(Path path) throws IOException {
        if (POSIX_IMPL != null) {
            FileStat st = POSIX_IMPL.allocateStat();
            int r = POSIX_IMPL.stat(path.toString(), st);
            if (r == 0) {
                return new FileOwner(st.uid(), st.gid(), st.mode() & 07777);
            }
            if (POSIX_IMPL.errno() == Errno.ENOENT.intValue()) {
                throw new java.nio.file.NoSuchFileException(path.toString());
            }
        }
        int uid = (Integer) Files.getAttribute(path, "unix:uid");
        int gid = (Integer) Files.getAttribute(path, "unix:gid");
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return new FileOwner(uid, gid, mode & 07777);
    }

    /**
     * Runs {@code action} on a JVM thread whenever SIGHUP arrives; true when
     * SIGHUP had been inherited as ignored and was taken back.
     */
    @SuppressWarnings("restriction")
    public static boolean onSighup(Runnable action) {
        sun.misc.Signal hup = new sun.misc.Signal(Signal.SIGHUP.name().substring(3));
        sun.misc.SignalHandler handler = sig -> action.run();
        if (sun.misc.Signal.handle(hup, handler) != sun.misc.SignalHandler.SIG_IGN) {
            return false;
        }
        // Inherited as ignored (started under nohup, for example): the JVM then
        // silently installs nothing. Give SIGHUP the JVM's own signal handler
        // (the one SIGTERM has), so a SIGHUP arriving before the Java handler is
        // registered is dropped instead of killing the process (SIG_DFL would),
        // then register again. SIG_DFL only if SIGTERM has no JVM handler (-Xrs).
        if (!copyDisposition(SIGTERM, SIGHUP)) {
            try {
                MemorySegment unused = (MemorySegment) SIGNAL.invokeExact(SIGHUP, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException("signal(SIGHUP, SIG_DFL) failed", t);
            }
        }
        sun.misc.Signal.handle(hup, handler);
        return true;
    }

    /** Gives signal {@code to} the disposition of {@code from} if that is a real handler; true if done. */
    private static boolean copyDisposition(int from, int to) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment act = arena.allocate(SIGACTION_SIZE, 8);
            int r = (int) SIGACTION.invokeExact(from, MemorySegment.NULL, act);
            long handler = act.get(ValueLayout.JAVA_LONG, 0);
            if (r != 0 || handler == 0 || handler == 1) { // SIG_DFL, SIG_IGN
                return false;
            }
            return (int) SIGACTION.invokeExact(to, act, MemorySegment.NULL) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Runs {@code action} on SIGTERM and SIGINT instead of the JVM's exit, so
     * the caller can stop cleanly and choose the exit status.
     */
    @SuppressWarnings("restriction")
    public static void onStopSignals(Runnable action) {
        sun.misc.SignalHandler handler = sig -> action.run();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    }

    /** Sends a signal to a process (kill(2)); false if it failed. */
    public static boolean kill(long pid, int signal) {
        return POSIX_IMPL != null && POSIX_IMPL.kill(pid, signal) == 0;
    }

    /** Handler that turns jnr-posix's errors into exceptions and keeps it quiet otherwise. */
    private static final class QuietHandler implements POSIXHandler {
        @Override
        public void error(Errno error, String extraData) {
            throw new IllegalStateException(error.name() + ": " + extraData);
        }

        @Override
        public void error(Errno error, String methodName, String extraData) {
            throw new IllegalStateException(methodName + ": " + error.name() + ": " + extraData);
        }

        @Override
        public void unimplementedError(String methodName) {
            throw new UnsupportedOperationException(methodName);
        }

        @Override
        public void warn(WARNING_ID id, String message, Object... data) {
        }

        @Override
        public boolean isVerbose() {
            return false;
        }

        @Override
        public java.io.File getCurrentWorkingDirectory() {
            return new java.io.File(System.getProperty("user.dir"));
        }

        @Override
        public String[] getEnv() {
            return System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
        }

        @Override
        public java.io.InputStream getInputStream() {
            return System.in;
        }

        @Override
        public java.io.PrintStream getOutputStream() {
            return System.out;
        }

        @Override
        public int getPID() {
            return (int) ProcessHandle.current().pid();
        }

        @Override
        public java.io.PrintStream getErrorStream() {
            return System.err;
        }
    }
}
