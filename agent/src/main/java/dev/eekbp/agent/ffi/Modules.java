package dev.eekbp.agent.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Kernel module syscalls (x86-64): finit_module(2), init_module(2) and delete_module(2). */
public final class Modules {
    private static final long SYS_INIT_MODULE = 175;
    private static final long SYS_FINIT_MODULE = 313;
    private static final long SYS_DELETE_MODULE = 176;
    /** finit_module flag: the file is compressed, let the kernel decompress it. */
    public static final int MODULE_INIT_COMPRESSED_FILE = 4;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;

    // int open(const char *path, int flags, ...);
    private static final MethodHandle OPEN = NativeCall.variadic("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 2);
    // int close(int fd);
    private static final MethodHandle CLOSE = NativeCall.plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Modules() {
    }

    /** Loads an uncompressed module file with the given parameter string ("a=1 b=x"). */
    public static void finitModule(Path ko, String params) throws NativeException {
        finitModule(ko, params, 0);
    }

    /**
     * Loads a module file with the given parameter string; flags
     * {@link #MODULE_INIT_COMPRESSED_FILE} lets the kernel decompress it.
     */
    public static void finitModule(Path ko, String params, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(arena);
            int fd = (int) NativeCall.invoke(OPEN, state, NativeCall.cString(arena, ko.toString()),
                    O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw NativeException.of("open", NativeCall.errno(state), "opening module file " + ko);
            }
            try {
                MemorySegment p = NativeCall.cString(arena, params);
                NativeCall.syscall("finit_module", SYS_FINIT_MODULE, fd, p.address(), flags);
            } finally {
                NativeCall.invoke(CLOSE, fd);
            }
        }
    }

    /** Loads a module from an ELF image in memory (a module decompressed by the agent). */
    public static void initModule(byte[] image, String params) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment img = arena.allocate(image.length, 16);
            MemorySegment.copy(image, 0, img, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, image.length);
            MemorySegment p = NativeCall.cString(arena, params);
            NativeCall.syscall("init_module", SYS_INIT_MODULE, img.address(), image.length, p.address());
        }
    }

    /** Unloads a module by name without waiting (O_NONBLOCK, as rmmod does). */
    public static void deleteModule(String name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = NativeCall.cString(arena, name);
            NativeCall.syscall("delete_module", SYS_DELETE_MODULE, n.address(), O_NONBLOCK);
        }
    }
}
