package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.eekbp.agent.ffi.SysfsTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Knob save/restore against a generated tree (parsing and file handling only). */
class StockKnobsTest {
    @TempDir
    Path root;

    SysfsTree fs;
    Path restoreFile;

    @BeforeEach
    void tree() throws Exception {
        Path eth0 = Files.createDirectories(root.resolve("sys/class/net/eth0"));
        Files.writeString(eth0.resolve("threaded"), "0\n");
        Files.writeString(eth0.resolve("napi_defer_hard_irqs"), "1\n");
        Files.writeString(eth0.resolve("gro_flush_timeout"), "5000\n");
        Path core = Files.createDirectories(root.resolve("proc/sys/net/core"));
        Files.writeString(core.resolve("busy_read"), "0\n");
        Files.writeString(core.resolve("busy_poll"), "25\n");
        fs = new SysfsTree(root);
        restoreFile = StockKnobs.restoreFileBeside(root.resolve("run/eekbp/state.json"));
    }

    String read(String rel) throws Exception {
        return Files.readString(root.resolve(rel)).strip();
    }

    @Test
    void savesBeforeWritingAndRestoresAfter() throws Exception {
        StockKnobs k = new StockKnobs(fs, restoreFile);
        k.apply(BenchMode.THREADED_DEFER.stock().knobs(List.of("eth0")));
        assertThat(read("sys/class/net/eth0/threaded")).isEqualTo("1");
        assertThat(read("sys/class/net/eth0/napi_defer_hard_irqs")).isEqualTo("2");
        assertThat(read("sys/class/net/eth0/gro_flush_timeout")).isEqualTo("20000");
        assertThat(read("proc/sys/net/core/busy_poll")).isEqualTo("0");
        // the host's values are on disk while the cell runs (a crash leaves them)
        assertThat(restoreFile).hasParent(root.resolve("run/eekbp"));
        assertThat(StockKnobs.parse(Files.readString(restoreFile))).containsExactly(
                entry("sys/class/net/eth0/threaded", "0"), entry("sys/class/net/eth0/napi_defer_hard_irqs", "1"),
                entry("sys/class/net/eth0/gro_flush_timeout", "5000"), entry("proc/sys/net/core/busy_read", "0"),
                entry("proc/sys/net/core/busy_poll", "25"));
        // a second mode in the same cell keeps the first saved (host) values
        k.apply(BenchMode.BUSY_READ.stock().knobs(List.of("eth0")));
        assertThat(read("proc/sys/net/core/busy_read")).isEqualTo("50");
        assertThat(k.saved()).containsEntry("sys/class/net/eth0/threaded", "0");
        assertThat(k.restore()).isEmpty();
        assertThat(read("sys/class/net/eth0/threaded")).isEqualTo("0");
        assertThat(read("sys/class/net/eth0/napi_defer_hard_irqs")).isEqualTo("1");
        assertThat(read("sys/class/net/eth0/gro_flush_timeout")).isEqualTo("5000");
        assertThat(read("proc/sys/net/core/busy_read")).isEqualTo("0");
        assertThat(read("proc/sys/net/core/busy_poll")).isEqualTo("25");
        assertThat(restoreFile).doesNotExist();
    }

    @Test
    void aLaterBenchRestoresWhatACrashedOneLeft() throws Exception {
        new StockKnobs(fs, restoreFile).apply(BenchMode.THREADED.stock().knobs(List.of("eth0")));
        assertThat(read("sys/class/net/eth0/threaded")).isEqualTo("1");
        // the process died here; a new one finds the file
        StockKnobs next = new StockKnobs(fs, restoreFile);
        assertThat(next.pending()).isTrue();
        assertThat(next.recover()).isEmpty();
        assertThat(read("sys/class/net/eth0/threaded")).isEqualTo("0");
        assertThat(read("sys/class/net/eth0/gro_flush_timeout")).isEqualTo("5000");
        assertThat(next.pending()).isFalse();
        assertThat(new StockKnobs(fs, restoreFile).recover()).isEmpty();
    }

    @Test
    void aKnobThatCannotBeRestoredStaysInTheFile() throws Exception {
        StockKnobs k = new StockKnobs(fs, restoreFile);
        k.apply(BenchMode.THREADED.stock().knobs(List.of("eth0")));
        Files.delete(root.resolve("sys/class/net/eth0/threaded")); // the device went away
        assertThat(k.restore()).singleElement().asString().contains("/sys/class/net/eth0/threaded not restored to 0");
        assertThat(StockKnobs.parse(Files.readString(restoreFile))).containsOnlyKeys("sys/class/net/eth0/threaded");
        assertThat(read("sys/class/net/eth0/gro_flush_timeout")).isEqualTo("5000");
    }

    @Test
    void missingKnobsOnlyMatterWhenAModeSetsThem() throws Exception {
        Files.delete(root.resolve("sys/class/net/eth0/threaded"));
        assertThat(StockKnobs.missing(fs, List.of(BenchMode.NAPI, BenchMode.BUSY_READ, BenchMode.EEKBP),
                List.of("eth0"))).isEmpty();
        assertThat(StockKnobs.missing(fs, List.of(BenchMode.THREADED, BenchMode.THREADED_DEFER),
                List.of("eth0"))).containsExactly("mode threaded needs /sys/class/net/eth0/threaded",
                        "mode threaded-defer needs /sys/class/net/eth0/threaded");
        StockKnobs k = new StockKnobs(fs, restoreFile);
        k.apply(BenchMode.NAPI.stock().knobs(List.of("eth0"))); // threaded=0 on a kernel without it: skipped
        assertThat(k.saved()).doesNotContainKey("sys/class/net/eth0/threaded");
        assertThatThrownBy(() -> k.apply(BenchMode.THREADED.stock().knobs(List.of("eth0"))))
                .hasMessageContaining("/sys/class/net/eth0/threaded does not exist");
    }

    @Test
    void restoreFileAcceptsOnlyTheBenchKnobs() {
        assertThat(StockKnobs.parse(StockKnobs.format(Map.of("sys/class/net/enp1s0f0/gro_flush_timeout", "0"))))
                .containsEntry("sys/class/net/enp1s0f0/gro_flush_timeout", "0");
        assertThatThrownBy(() -> StockKnobs.parse("sys/kernel/eekbp/enabled 1\n")).hasMessageContaining("bad line");
        assertThatThrownBy(() -> StockKnobs.parse("sys/class/net/../../../etc/x/threaded 1\n"))
                .hasMessageContaining("bad line");
        assertThatThrownBy(() -> StockKnobs.parse("proc/sys/net/core/busy_read fifty\n"))
                .hasMessageContaining("bad line");
    }

    @Test
    void damagedRestoreFileSaysWhatToDo() throws Exception {
        Files.createDirectories(restoreFile.getParent());
        Files.writeString(restoreFile, "garbage\n");
        assertThatThrownBy(() -> new StockKnobs(fs, restoreFile).recover())
                .hasMessageContaining("is damaged").hasMessageContaining("then delete it");
    }
}
