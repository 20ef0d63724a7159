package dev.eekbp.agent.kernel;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.ffi.SysfsTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Finds, loads and unloads the eekbp modules through finit_module / delete_module. */
public final class ModuleLoader {
    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz");

    /** What {@link #load} did. */
    public enum Outcome { LOADED, ADOPTED }

    private final SysfsTree fs;
    private final ModuleSyscalls syscalls;
    private final List<Path> searchDirs;

    /**
     * @param moduleDir configured folder ([kernel] module_dir) or empty for
     *                  /lib/modules/$(uname -r)/updates/dkms then .../extra
     */
    public ModuleLoader(SysfsTree fs, Optional<Path> moduleDir, ModuleSyscalls syscalls) {
        this.fs = fs;
        this.syscalls = syscalls;
        if (moduleDir.isPresent()) {
            this.searchDirs = List.of(moduleDir.get());
        } else {
            String release = fs.tryRead("proc/sys/kernel/osrelease").orElse("unknown").strip();
            Path base = Path.of("/lib/modules", release);
            this.searchDirs = List.of(base.resolve("updates/dkms"), base.resolve("extra"), base.resolve("updates"));
        }
    }

    public List<Path> searchDirs() {
        return searchDirs;
    }

    /** The module file for {@code name}, or a KernelException listing where it looked. */
    public Path find(String name) throws KernelException {
        for (Path d : searchDirs) {
            for (String suffix : SUFFIXES) {
                Path p = d.resolve(name + suffix);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        throw new KernelException("module " + name + " not found (looked in " + searchDirs
                + "): install it with 'make install' (DKMS) or set [kernel] module_dir");
    }

    /** True when /sys/module/NAME exists (the module is loaded or built in). */
    public boolean isLoaded(String name) {
        return fs.exists("sys/module/" + name + "/initstate") || fs.exists("sys/module/" + name + "/refcnt");
    }

    /** Loads the module unless it is already there; EEXIST counts as adopted. */
    public Outcome load(String name, String params) throws KernelException {
        if (isLoaded(name)) {
            return Outcome.ADOPTED;
        }
        Path file = find(name);
        try {
            String algo = algorithm(file);
            if (algo.isEmpty()) {
                syscalls.load(file, params, false);
            } else if (kernelDecompresses(algo)) {
                syscalls.load(file, params, true);
            } else {
                syscalls.loadImage(ModuleImage.decompress(file, algo), params);
            }
            return Outcome.LOADED;
        } catch (NativeException e) {
            if (e.errno() == Errno.EEXIST) {
                return Outcome.ADOPTED;
            }
            throw ModuleErrors.load(name, file, e);
        }
    }

    /** "gzip", "xz" or "zstd" for a compressed module file, "" for a plain .ko. */
    static String algorithm(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".ko.gz") ? "gzip" : n.endsWith(".ko.xz") ? "xz" : n.endsWith(".ko.zst") ? "zstd" : "";
    }

    /**
     * True when the running kernel decompresses modules of this algorithm
     * itself (CONFIG_MODULE_DECOMPRESS: /sys/module/compression names it).
     */
    boolean kernelDecompresses(String algo) {
        return fs.tryRead("sys/module/compression").map(String::strip).orElse("").equals(algo);
    }

    /**
     * Unloads a module; retries while it is busy (a livepatch is released
     * asynchronously after its transition) until {@code timeout}.
     * Returns false if the module was not loaded.
     */
    public boolean unload(String name, Duration timeout) throws KernelException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                syscalls.delete(name);
                return true;
            } catch (NativeException e) {
                if (e.errno() == Errno.ENOENT) {
                    return false;
                }
                boolean busy = e.errno() == Errno.EBUSY || e.errno() == Errno.EAGAIN;
                if (!busy || System.nanoTime() > deadline) {
                    throw ModuleErrors.unload(name, e);
                }
                sleep(100);
            }
        }
    }

    static void sleep(long ms) throws KernelException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted", ie);
        }
    }
}
