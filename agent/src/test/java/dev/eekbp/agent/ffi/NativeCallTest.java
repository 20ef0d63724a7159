package dev.eekbp.agent.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class NativeCallTest {
    @Test
    void errnoIsCapturedPerCall() throws Throwable {
        MethodHandle close = NativeCall.errnoCapturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            var st = NativeCall.newCallState(a);
            int r = (int) close.invokeExact(st, -1);
            assertThat(r).isEqualTo(-1);
            assertThat(NativeCall.errno(st)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void syscallReturnsResult() throws Exception {
        long pid = NativeCall.syscall("getpid", 39);
        assertThat(pid).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void syscallFailureCarriesErrnoNameAndDescription() {
        // close(-1) through syscall(3, -1): EBADF
        assertThatThrownBy(() -> NativeCall.syscall("close", 3, -1))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EBADF);
                    assertThat(e.errnoName()).isEqualTo("EBADF");
                    assertThat(e.call()).isEqualTo("close");
                    assertThat(e.getMessage()).isEqualTo("close: EBADF (bad file descriptor)");
                });
    }

    @Test
    void errnoNames() {
        assertThat(Errno.name(Errno.ENOSYS)).isEqualTo("ENOSYS");
        assertThat(Errno.name(Errno.EKEYREJECTED)).isEqualTo("EKEYREJECTED");
        assertThat(Errno.name(4000)).isEqualTo("errno 4000");
    }
}
