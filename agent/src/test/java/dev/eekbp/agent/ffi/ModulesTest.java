package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error paths of the module syscalls on a kernel that cannot load modules (this build machine). */
class ModulesTest {
    private static boolean noModuleSupport() {
        return !Files.exists(Path.of("/proc/modules"));
    }

    @Test
    void finitModuleReportsEnosysWithoutModuleSupport(@TempDir Path dir) throws Exception {
        assumeTrue(noModuleSupport(), "kernel supports modules; ENOSYS path not reachable here");
        Path ko = Files.writeString(dir.resolve("fake.ko"), "not an ELF file");
        assertThatThrownBy(() -> Modules.finitModule(ko, "a=1"))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOSYS);
                    assertThat(e.call()).isEqualTo("finit_module");
                });
    }

    @Test
    void missingModuleFileIsEnoentFromOpen(@TempDir Path dir) {
        assertThatThrownBy(() -> Modules.finitModule(dir.resolve("absent.ko"), ""))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.getMessage()).contains("absent.ko");
                });
    }

    @Test
    void deleteOfMissingModuleFails() {
        assertThatThrownBy(() -> Modules.deleteModule("eekbp_no_such_module"))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isIn(noModuleSupport() ? Errno.ENOSYS : Errno.ENOENT, Errno.EPERM);
                    assertThat(e.call()).isEqualTo("delete_module");
                });
    }
}
