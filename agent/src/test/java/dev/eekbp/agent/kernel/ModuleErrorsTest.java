package dev.eekbp.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleErrorsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1   | EPERM        | CAP_SYS_MODULE
            38  | ENOSYS       | kernel without module support
            8   | ENOEXEC      | rebuild it with DKMS
            22  | EINVAL       | module built for another kernel
            129 | EKEYREJECTED | Secure Boot
            126 | ENOKEY       | MOK key
            2   | ENOENT       | load eekbp before eekbp_livepatch
            """)
    void loadErrorsNameTheFix(int errno, String name, String hint) {
        KernelException e = ModuleErrors.load("eekbp", Path.of("/m/eekbp.ko"),
                NativeException.of("finit_module", errno, null));
        assertThat(e.getMessage()).startsWith("loading eekbp from /m/eekbp.ko failed (" + name + "): ")
                .contains(hint);
    }

    @ParameterizedTest
    @CsvSource({"16, module is in use", "1, CAP_SYS_MODULE"})
    void unloadErrors(int errno, String hint) {
        assertThat(ModuleErrors.unload("eekbp", NativeException.of("delete_module", errno, null)).getMessage())
                .contains(Errno.name(errno)).contains(hint);
    }
}
