package dev.eekbp.agent.kernel;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.Modules;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The two module syscalls the agent makes, behind an interface so unit tests
 * and fake sysfs trees never reach the running kernel.
 */
public interface ModuleSyscalls {
    /**
     * finit_module(2) of {@code ko} with a parameter string ("a=1 b=x");
     * {@code kernelDecompresses} passes MODULE_INIT_COMPRESSED_FILE.
     */
    void load(Path ko, String params, boolean kernelDecompresses) throws NativeException;

    /** init_module(2) of an uncompressed ELF image. */
    void loadImage(byte[] image, String params) throws NativeException;

    /** delete_module(2) of a module by name, without waiting. */
    void delete(String name) throws NativeException;

    /** The running kernel. */
    ModuleSyscalls SYSTEM = new ModuleSyscalls() {
        @Override
        public void load(Path ko, String params, boolean kernelDecompresses) throws NativeException {
            Modules.finitModule(ko, params, kernelDecompresses ? Modules.MODULE_INIT_COMPRESSED_FILE : 0);
        }

        @Override
        public void loadImage(byte[] image, String params) throws NativeException {
            Modules.initModule(image, params);
        }

        @Override
        public void delete(String name) throws NativeException {
            Modules.deleteModule(name);
        }
    };

    /**
     * For a fake tree (--sysfs-root other than /): loading fails with ENOSYS,
     * deleting removes sys/module/NAME from the tree (ENOENT if absent).
     */
    static ModuleSyscalls tree(SysfsTree fs) {
        return new ModuleSyscalls() {
            @Override
            public void load(Path ko, String params, boolean kernelDecompresses) throws NativeException {
                throw NativeException.of("finit_module", Errno.ENOSYS, "module loading is not simulated under"
                        + " --sysfs-root " + fs.root());
            }

            @Override
            public void loadImage(byte[] image, String params) throws NativeException {
                throw NativeException.of("init_module", Errno.ENOSYS, "module loading is not simulated under"
                        + " --sysfs-root " + fs.root());
            }

            @Override
            public void delete(String name) throws NativeException {
                Path dir = fs.path("sys/module/" + name);
                if (!Files.isDirectory(dir)) {
                    throw NativeException.of("delete_module", Errno.ENOENT, name);
                }
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                } catch (IOException e) {
                    throw NativeException.of("delete_module", Errno.EIO, name + ": " + e.getMessage());
                }
            }
        };
    }
}
