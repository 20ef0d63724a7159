package dev.eekbp.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One kernel of the test matrix: its image, its module tree (from the
 * extracted image package) and the project's .ko files built for it.
 */
public record Kernel(String version, Path root) {

    /** A kernel from build/kernels/&lt;version&gt; of the repo root (-Deekbp.root). */
    public static Kernel of(String version) {
        return new Kernel(version, repoRoot());
    }

    /**
     * The kernels named by -Deekbp.kernels (space or comma separated), or every kernel
     * under build/kernels when the property is empty.
     */
    public static List<Kernel> matrix() {
        String prop = System.getProperty("eekbp.kernels", "").trim();
        if (!prop.isEmpty()) {
            return Arrays.stream(prop.split("[\\s,]+")).map(Kernel::of).toList();
        }
        Path dir = repoRoot().resolve("build/kernels");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.exists(p.resolve("vmlinuz")))
                    .map(p -> Kernel.of(p.getFileName().toString()))
                    .sorted(java.util.Comparator.comparing(Kernel::version))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no kernel matrix: set -Deekbp.kernels or run 'make deps' ("
                    + dir + ")", e);
        }
    }

    /** The repository root: -Deekbp.root, else the parent of the working dir. */
    public static Path repoRoot() {
        String prop = System.getProperty("eekbp.root", "");
        Path p = prop.isBlank() ? Path.of("..") : Path.of(prop);
        return p.toAbsolutePath().normalize();
    }

    /** build/kernels/&lt;version&gt;. */
    public Path cacheDir() {
        return root.resolve("build/kernels").resolve(version);
    }

    public Path vmlinuz() {
        return cacheDir().resolve("vmlinuz");
    }

    /** The extracted image package (holds lib/modules/&lt;version&gt;). */
    public Path imageRoot() {
        return cacheDir().resolve("root");
    }

    /** The kernel's own modules: root/lib/modules/&lt;version&gt;. */
    public Path modulesDir() {
        return imageRoot().resolve("lib/modules").resolve(version);
    }

    /** The project's .ko files built for this kernel by `make modules`. */
    public Path builtModulesDir() {
        return root.resolve("build/modules").resolve(version);
    }

    /** Fails with the fix when the kernel or the built modules are missing. */
    public Kernel requireBuilt() {
        if (!Files.isRegularFile(vmlinuz()) || !Files.isDirectory(modulesDir())) {
            throw new IllegalStateException("kernel " + version + " not in " + cacheDir()
                    + "; run 'make deps'");
        }
        return this;
    }

    @Override
    public String toString() {
        return version;
    }
}
