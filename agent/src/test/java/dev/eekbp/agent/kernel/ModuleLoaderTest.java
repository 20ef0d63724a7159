package dev.eekbp.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.testutil.FakeSys;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a compressed module reaches the kernel, with the syscalls recorded instead of made. */
class ModuleLoaderTest {
    @TempDir
    Path root;

    final List<String> calls = new ArrayList<>();

    final ModuleSyscalls recording = new ModuleSyscalls() {
        @Override
        public void load(Path ko, String params, boolean kernelDecompresses) {
            calls.add("finit " + ko.getFileName() + " compressed=" + kernelDecompresses);
        }

        @Override
        public void loadImage(byte[] image, String params) {
            calls.add("init " + new String(image, StandardCharsets.US_ASCII));
        }

        @Override
        public void delete(String name) {
            calls.add("delete " + name);
        }
    };

    private ModuleLoader gzModule() throws Exception {
        new FakeSys(root).machine();
        Path dir = Files.createDirectories(root.resolve("mods"));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("eekbp.ko.gz")))) {
            o.write("\u007fELF fake module".getBytes(StandardCharsets.US_ASCII));
        }
        return new ModuleLoader(new SysfsTree(root), Optional.of(dir), recording);
    }

    @Test
    void kernelDecompressesOnlyWhatSysModuleCompressionNames() throws Exception {
        ModuleLoader l = gzModule();
        new FakeSys(root).file("sys/module/compression", "gzip\n");
        l.load("eekbp", "");
        assertThat(calls).containsExactly("finit eekbp.ko.gz compressed=true");
    }

    @Test
    void withoutKernelSupportTheAgentDecompresses() throws Exception {
        ModuleLoader l = gzModule(); // no /sys/module/compression: CONFIG_MODULE_DECOMPRESS off
        l.load("eekbp", "");
        assertThat(calls).containsExactly("init \u007fELF fake module");
        calls.clear();
        new FakeSys(root).file("sys/module/compression", "zstd\n"); // another algorithm
        l.load("eekbp", "");
        assertThat(calls).containsExactly("init \u007fELF fake module");
    }
}
