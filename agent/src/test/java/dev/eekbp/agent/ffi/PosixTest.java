package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @Test
    void statReportsOwnerAndMode(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        Posix.FileOwner o = Posix.stat(f);
        assertThat(o.uid()).isEqualTo(Posix.geteuid());
        assertThat(o.mode()).isEqualTo(0664);
        assertThat(o.groupOrWorldWritable()).isTrue();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Posix.stat(f).groupOrWorldWritable()).isFalse();
    }

    @Test
    void jnrPosixLoadsNatively() {
        assertThat(Posix.usesJnrPosix()).isTrue();
    }

    @Test
    void geteuidMatchesProc() throws Exception {
        assertThat(Posix.geteuid()).isEqualTo((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
