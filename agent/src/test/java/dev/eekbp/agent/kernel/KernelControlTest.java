package dev.eekbp.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.testutil.FakeSys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelControlTest {
    @TempDir
    Path root;
    FakeSys sys;
    KernelControl k;

    @BeforeEach
    void setUp() {
        sys = new FakeSys(root).machine().loadedModule();
        k = new KernelControl(new SysfsTree(root));
    }

    private String attr(String name) {
        return sys.read("sys/kernel/eekbp/" + name);
    }

    @Test
    void diffListsOnlyDifferingValues() throws Exception {
        var c = ConfigLoader.parse(Path.of("t.toml"), "[kernel]\nmode = \"eekbp\"\ncpus = \"0\"\n").config();
        List<Change> d = k.diff(SettingsPlan.of(c, true));
        assertThat(d).extracting(Change::attribute).containsExactly("mode", "freq_ctl");
        assertThat(d.get(0)).isEqualTo(new Change("mode", "napi", "eekbp"));
    }

    @Test
    void structuralChangeWhileEnabledDisablesAroundTheWrite() throws Exception {
        sys.file("sys/kernel/eekbp/enabled", "1\n");
        k.apply(List.of(new Change("mode", "napi", "kbp"), new Change("quota", "64", "32")));
        assertThat(attr("mode")).isEqualTo("kbp");
        assertThat(attr("quota")).isEqualTo("32");
        assertThat(attr("enabled")).isEqualTo("1");
    }

    @ParameterizedTest
    @CsvSource({"mode,turbo", "quota,0", "quota,1025", "quota,abc", "cpus,1-", "freq_ctl,2", "enabled,yes",
        "freq_min_khz,-1", "devices,'eth0,,eth1'", "stats,1"})
    void invalidValueIsRefusedBeforeAnyWrite(String attribute, String value) throws Exception {
        String before = snapshot();
        assertThatThrownBy(() -> k.apply(List.of(new Change("quota", "64", "128"),
                new Change(attribute, "", value))))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining(attribute)
                .hasMessageContaining("nothing was changed");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void kernelRejectionRollsBackEarlierWrites() throws Exception {
        sys.file("sys/kernel/eekbp/enabled", "1\n");
        // freq_ctl that cannot be written stands in for a kernel -EINVAL
        Path fc = root.resolve("sys/kernel/eekbp/freq_ctl");
        Files.delete(fc);
        Files.createDirectory(fc);
        String before = snapshot();
        assertThatThrownBy(() -> k.apply(List.of(new Change("mode", "napi", "eekbp"),
                new Change("quota", "64", "16"), new Change("freq_ctl", "0", "1"))))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("kernel rejected freq_ctl=\"1\"")
                .hasMessageContaining("previous values restored");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(attr("enabled")).isEqualTo("1");
    }

    @Test
    void abiMismatchIsExplained() {
        sys.file("sys/kernel/eekbp/abi_version", "2\n");
        assertThatThrownBy(k::checkAbi).isInstanceOf(KernelException.class)
                .hasMessageContaining("ABI version 2").hasMessageContaining("needs 1");
    }

    @Test
    void abiMatches() throws Exception {
        k.checkAbi();
        assertThat(k.present()).isTrue();
    }

    private String snapshot() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.walk(root.resolve("sys/kernel/eekbp"))) {
            for (Path p : s.sorted().toList()) {
                sb.append(root.relativize(p)).append('=')
                        .append(Files.isRegularFile(p) ? Files.readString(p) : "<dir>").append('\n');
            }
        }
        return sb.toString();
    }
}
