package dev.eekbp.agent.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/** CPU affinity of one thread: sched_getaffinity(2) and sched_setaffinity(2). */
public final class Affinity {
    /** glibc's cpu_set_t: 1024 CPUs. */
    private static final int SET_BYTES = 128;
    private static final FunctionDescriptor FD = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
    private static final MethodHandle GET = NativeCall.errnoCapturing("sched_getaffinity", FD);
    private static final MethodHandle SET = NativeCall.errnoCapturing("sched_setaffinity", FD);

    private Affinity() {
    }

    /** The CPUs thread {@code tid} may run on. */
    public static BitSet get(int tid) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = NativeCall.newCallState(a);
            MemorySegment set = a.allocate(SET_BYTES, 8);
            int r = (int) GET.invokeExact(st, tid, (long) SET_BYTES, set);
            if (r != 0) {
                throw NativeException.of("sched_getaffinity", NativeCall.errno(st),
                        "reading the CPU affinity of thread " + tid);
            }
            return BitSet.valueOf(set.toArray(ValueLayout.JAVA_BYTE));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_getaffinity downcall failed", t);
        }
    }

    /** Lets thread {@code tid} run on {@code cpus} only (CPU numbers below 1024). */
    public static void set(int tid, BitSet cpus) throws NativeException {
        if (cpus.isEmpty() || cpus.length() > SET_BYTES * 8) {
            throw new IllegalArgumentException("CPU set must hold CPUs 0-" + (SET_BYTES * 8 - 1)
                    + ", got " + cpus);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = NativeCall.newCallState(a);
            MemorySegment set = a.allocate(SET_BYTES, 8);
            set.copyFrom(MemorySegment.ofArray(cpus.toByteArray()));
            int r = (int) SET.invokeExact(st, tid, (long) SET_BYTES, set);
            if (r != 0) {
                throw NativeException.of("sched_setaffinity", NativeCall.errno(st),
                        "pinning thread " + tid + " to CPUs " + cpus);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setaffinity downcall failed", t);
        }
    }
}
