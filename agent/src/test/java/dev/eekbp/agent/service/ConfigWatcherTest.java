package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    @Test
    void seesEditsReplacementsAndRequests(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.toml"), "a");
        ConfigWatcher w = new ConfigWatcher(f);
        assertThat(w.changed()).isFalse();
        Files.writeString(f, "ab");
        assertThat(w.changed()).isTrue();
        assertThat(w.changed()).isFalse();
        Path tmp = Files.writeString(dir.resolve("c.toml.new"), "xy");
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(f)); // same size and mtime, new inode
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(w.changed()).isTrue();
        w.request();
        assertThat(w.changed()).isTrue();
        assertThat(w.changed()).isFalse();
        Files.setLastModifiedTime(f, FileTime.fromMillis(1000));
        assertThat(w.changed()).isTrue();
    }
}
