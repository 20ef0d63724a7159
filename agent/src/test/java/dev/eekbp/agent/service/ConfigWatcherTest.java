package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    /** Polls until the watcher reports; a change needs one quiet poll before it counts. */
    private static boolean settles(ConfigWatcher w) {
        return w.changed() || w.changed();
    }

    @Test
    void seesEditsReplacementsAndRequests(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.toml"), "a");
        ConfigWatcher w = new ConfigWatcher(f);
        assertThat(w.changed()).isFalse();
        Files.writeString(f, "ab");
        assertThat(settles(w)).isTrue();
        assertThat(w.changed()).isFalse();
        Path tmp = Files.writeString(dir.resolve("c.toml.new"), "xy");
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(f)); // same size and mtime, new inode
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(settles(w)).isTrue();
        w.request();
        assertThat(w.changed()).isTrue();
        assertThat(w.changed()).isFalse();
        Files.setLastModifiedTime(f, FileTime.fromMillis(1000));
        assertThat(settles(w)).isTrue();
    }

    @Test
    void fileStillBeingWrittenIsNotReported(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.toml"), "[kernel]\nquota = 8\n");
        ConfigWatcher w = new ConfigWatcher(f);
        Files.writeString(f, ""); // truncated: an editor or tool is mid-write
        assertThat(w.changed()).as("first poll after a change").isFalse();
        Files.writeString(f, "[kernel]\n");
        assertThat(w.changed()).as("still changing").isFalse();
        Files.writeString(f, "[kernel]\nquota = 16\n");
        assertThat(w.changed()).as("still changing").isFalse();
        assertThat(w.changed()).as("unchanged for one poll").isTrue();
        assertThat(w.changed()).isFalse();
    }

    @Test
    void symlinkedConfigFollowsItsTarget(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("managed"));
        Path v1 = Files.writeString(real.resolve("eekbp-v1.toml"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("eekbp.toml"), v1);
        ConfigWatcher w = new ConfigWatcher(link);
        Files.writeString(v1, "abc"); // the target is edited in place
        assertThat(settles(w)).isTrue();
        Path v2 = Files.writeString(real.resolve("eekbp-v2.toml"), "abcd");
        Path tmpLink = Files.createSymbolicLink(dir.resolve("eekbp.toml.new"), v2);
        Files.move(tmpLink, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(settles(w)).isTrue(); // the link is swung to a new target
    }
}
