package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.ffi.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootOwnedFilesTest {
    private final ConfigLoader loader = new ConfigLoader(new RootOwnedFiles());

    @Test
    void worldWritableConfigIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("eekbp.toml"), "[kernel]\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("mode 0666")
                .hasMessageContaining("chmod go-w");
    }

    @Test
    void groupWritableConfigIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("eekbp.toml"), "[kernel]\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode 0660");
    }

    @Test
    void configOwnedBySomeoneElseIsRefused(@TempDir Path dir) throws Exception {
        assumeTrue(Posix.geteuid() == 0, "chown needs root");
        Path f = Files.writeString(dir.resolve("eekbp.toml"), "[kernel]\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setAttribute(f, "unix:uid", 4242);
        assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("owned by uid 4242").hasMessageContaining("chown root:root");
    }

    @Test
    void safeConfigLoads(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("eekbp.toml"), "[kernel]\nquota = 8\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        org.assertj.core.api.Assertions.assertThat(loader.load(f).config().kernel().quota()).isEqualTo(8);
    }
}
