package dev.eekbp.agent.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A device file opened through libc: open, pread, ioctl, poll, close.
 * Buffers and the errno call state are allocated once per instance, so reads
 * do not allocate. Not thread safe: one thread owns an instance.
 */
public final class RawFile implements AutoCloseable {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final short POLLIN = 0x1;

    /* int open(const char *path, int flags, ...) */
    private static final MethodHandle OPEN$MH = NativeCall.variadic("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    /* ssize_t pread(int fd, void *buf, size_t count, off_t offset) */
    private static final MethodHandle PREAD$MH = NativeCall.errnoCapturing("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /* int ioctl(int fd, unsigned long request, ...) */
    private static final MethodHandle IOCTL$MH = NativeCall.variadic("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    /* int poll(struct pollfd *fds, nfds_t nfds, int timeout) */
    private static final MethodHandle POLL$MH = NativeCall.errnoCapturing("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /* int close(int fd) */
    private static final MethodHandle CLOSE$MH = NativeCall.errnoCapturing("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String path;
    private final Arena arena;
    private final MemorySegment state;
    private final MemorySegment word;
    private final MemorySegment pollfd;
    private int fd;

    private RawFile(String path, Arena arena, int fd) {
        this.path = path;
        this.arena = arena;
        this.fd = fd;
        this.state = NativeCall.newCallState(arena);
        this.word = arena.allocate(8, 8);
        this.pollfd = arena.allocate(8, 4);
    }

    /** open(2) with O_CLOEXEC added; the exception names the path and errno. */
    public static RawFile open(String path, int flags) throws NativeException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment st = NativeCall.newCallState(arena);
            int fd;
            try {
                fd = (int) OPEN$MH.invokeExact(st, arena.allocateFrom(path), flags | O_CLOEXEC, 0);
            } catch (Throwable t) {
                throw new AssertionError("open binding", t);
            }
            if (fd < 0) {
                throw NativeException.of("open", NativeCall.errno(st), "opening " + path);
            }
            return new RawFile(path, arena, fd);
        } catch (NativeException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public String path() {
        return path;
    }

    /**
     * Reads 8 bytes at offset (the MSR address for /dev/cpu/N/msr) as a
     * little-endian long.
     */
    public long preadLong(long offset) throws NativeException {
        long n = pread(word, 8, offset);
        if (n != 8) {
            throw new NativeException("pread", 0, path + ": short read of " + n + " bytes at 0x"
                    + Long.toHexString(offset));
        }
        return word.get(JAVA_LONG, 0);
    }

    /** True when the call failed because a signal arrived (EINTR): it is then made again. */
    private boolean interrupted(long result) {
        return result < 0 && NativeCall.errno(state) == Errno.EINTR;
    }

    private long preadOnce(MemorySegment buf, long count, long offset) {
        try {
            return (long) PREAD$MH.invokeExact(state, fd, buf, count, offset);
        } catch (Throwable t) {
            throw new AssertionError("pread binding", t);
        }
    }

    /** pread(2) into buf, retried on EINTR; returns the byte count. */
    public long pread(MemorySegment buf, long count, long offset) throws NativeException {
        long n;
        do {
            n = preadOnce(buf, count, offset);
        } while (interrupted(n));
        if (n < 0) {
            throw NativeException.of("pread", NativeCall.errno(state),
                    path + " at offset 0x" + Long.toHexString(offset));
        }
        return n;
    }

    private int ioctlOnce(long request, MemorySegment arg) {
        try {
            return (int) IOCTL$MH.invokeExact(state, fd, request, arg);
        } catch (Throwable t) {
            throw new AssertionError("ioctl binding", t);
        }
    }

    /** ioctl(2) with a pointer argument, retried on EINTR; returns the non-negative result. */
    public int ioctl(long request, MemorySegment arg) throws NativeException {
        int r;
        do {
            r = ioctlOnce(request, arg);
        } while (interrupted(r));
        if (r < 0) {
            throw NativeException.of("ioctl", NativeCall.errno(state),
                    path + " request 0x" + Long.toHexString(request));
        }
        return r;
    }

    private int pollOnce(int timeoutMs) {
        try {
            return (int) POLL$MH.invokeExact(state, pollfd, 1L, timeoutMs);
        } catch (Throwable t) {
            throw new AssertionError("poll binding", t);
        }
    }

    /** poll(2) for POLLIN; true when readable, false on timeout. A signal restarts the remaining wait. */
    public boolean pollIn(int timeoutMs) throws NativeException {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLIN);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int r = pollOnce(timeoutMs);
        while (interrupted(r)) {
            r = pollOnce(timeoutMs < 0 ? timeoutMs
                    : (int) Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000));
        }
        if (r < 0) {
            throw NativeException.of("poll", NativeCall.errno(state), path);
        }
        return r > 0 && (pollfd.get(JAVA_SHORT, 6) & POLLIN) != 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            try {
                int r = (int) CLOSE$MH.invokeExact(state, fd);
                assert r == 0 || r == -1;
            } catch (Throwable t) {
                throw new AssertionError("close binding", t);
            } finally {
                fd = -1;
                arena.close();
            }
        }
    }
}
