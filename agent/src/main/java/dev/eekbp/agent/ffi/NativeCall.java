package dev.eekbp.agent.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that binds libc functions through FFM.
 *
 * <p>Handles made by {@link #errnoCapturing} take a call-state segment as their
 * FIRST argument (allocate one per call or per thread with {@link #newCallState});
 * after a failed call {@link #errno(MemorySegment)} reads the errno the call set.
 * Never share one call-state segment between threads.
 *
 * <p>Example, a downcall to {@code int close(int fd)}:
 * <pre>{@code
 * static final MethodHandle CLOSE = NativeCall.errnoCapturing("close",
 *         FunctionDescriptor.of(JAVA_INT, JAVA_INT));
 * try (Arena a = Arena.ofConfined()) {
 *     MemorySegment st = NativeCall.newCallState(a);
 *     int r = (int) CLOSE.invokeExact(st, fd);
 *     if (r < 0) throw NativeException.of("close", NativeCall.errno(st), "closing " + path);
 * }
 * }</pre>
 */
public final class NativeCall {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** syscall(2) bound once per argument count (0..6 arguments after the number). */
    private static final MethodHandle[] SYSCALL = new MethodHandle[7];

    static {
        for (int n = 0; n < SYSCALL.length; n++) {
            ValueLayout[] args = new ValueLayout[n + 1];
            java.util.Arrays.fill(args, ValueLayout.JAVA_LONG);
            SYSCALL[n] = variadic("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, args), 1);
        }
    }

    private NativeCall() {
    }

    /** Address of a libc symbol; an AssertionError names a symbol that is missing. */
    public static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new AssertionError("libc symbol not found: " + name));
    }

    /** A plain downcall without errno capture (for functions that cannot fail). */
    @SuppressWarnings("restricted")
    public static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    /** A downcall whose first argument is a call-state segment receiving errno. */
    @SuppressWarnings("restricted")
    public static MethodHandle errnoCapturing(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO);
    }

    /**
     * A downcall to a variadic C function ({@code syscall}, {@code ioctl},
     * {@code open}, {@code fcntl}) with errno capture. {@code firstVariadicArg}
     * counts the descriptor's arguments (not the call-state segment). Pass
     * variadic integers as JAVA_LONG (C promotes them to long anyway).
     */
    @SuppressWarnings("restricted")
    public static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadicArg) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    /** A fresh call-state segment for one thread's calls. */
    public static MemorySegment newCallState(SegmentAllocator allocator) {
        return allocator.allocate(STATE_LAYOUT);
    }

    /** The errno captured by the last call that used this call-state segment. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** A NUL-terminated UTF-8 copy of s. */
    public static MemorySegment cString(SegmentAllocator allocator, String s) {
        return allocator.allocateFrom(s);
    }

    /**
     * syscall(2) with up to six integer or pointer arguments (pass pointers as
     * {@code segment.address()}). Returns the non-negative result or throws with
     * the captured errno; {@code what} names the call in the message.
     */
    public static long syscall(String what, long nr, long... args) throws NativeException {
        if (args.length >= SYSCALL.length) {
            throw new IllegalArgumentException("syscall takes at most 6 arguments");
        }
        Object[] full = new Object[args.length + 2];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            full[0] = state;
            full[1] = nr;
            for (int i = 0; i < args.length; i++) {
                full[i + 2] = args[i];
            }
            long r = (long) invoke(SYSCALL[args.length], full);
            if (r == -1) {
                throw NativeException.of(what, errno(state), null);
            }
            return r;
        }
    }

    /** invokeWithArguments that turns a binding bug into an AssertionError. */
    public static Object invoke(MethodHandle mh, Object... args) {
        try {
            return mh.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("native call failed unexpectedly", t);
        }
    }
}
