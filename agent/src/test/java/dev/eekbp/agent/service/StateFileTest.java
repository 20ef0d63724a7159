package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @Test
    void roundTrip(@TempDir Path dir) throws Exception {
        StateFile f = new StateFile(dir.resolve("run/eekbp/state.json"));
        assertThat(f.read()).isEmpty();
        RestoreState s = new RestoreState();
        s.pid(77);
        s.loadedModules(true);
        s.governors().put(0, "schedutil");
        s.governors().put(3, "ondemand");
        s.irqAffinity().put(24, "0-1,3");
        s.resumeLatency().put(1, "n/a");
        f.write(s);
        RestoreState r = f.read().orElseThrow();
        assertThat(r.pid()).isEqualTo(77);
        assertThat(r.loadedModules()).isTrue();
        assertThat(r.governors()).isEqualTo(s.governors());
        assertThat(r.irqAffinity()).isEqualTo(s.irqAffinity());
        assertThat(r.resumeLatency()).isEqualTo(s.resumeLatency());
        assertThat(Files.getPosixFilePermissions(dir.resolve("run/eekbp")).toString()).isEqualTo(
                "[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        f.delete();
        assertThat(f.read()).isEmpty();
    }

    @Test
    void damagedFileIsReportedWithTheFix(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("state.json"), "{\"governors\": {\"0\": ");
        assertThatThrownBy(() -> new StateFile(p).read()).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged").hasMessageContaining("delete it");
    }

    @Test
    void wrongTypesUnknownKeysAndOtherVersionsAreDamage(@TempDir Path dir) throws Exception {
        for (String bad : List.of("{\"version\": 1, \"pid\": \"5\"}",
                "{\"version\": 1, \"pid\": 5.5}", "{\"version\": 2}",
                "{\"version\": 1, \"loaded_modules\": 1}",
                "{\"version\": 1, \"governors\": {\"0\": 7}}",
                "{\"version\": 1, \"governors\": {\"cpu0\": \"userspace\"}}",
                "{\"version\": 1, \"colour\": \"blue\"}", "[1]")) {
            Path p = Files.writeString(dir.resolve("state.json"), bad);
            assertThatThrownBy(() -> new StateFile(p).read()).as(bad)
                    .isInstanceOf(IOException.class).hasMessageContaining("damaged");
        }
        Path ok = Files.writeString(dir.resolve("state.json"), "{\"version\": 1, \"pid\": 42,"
                + " \"loaded_modules\": true, \"irq_affinity\": {\"24\": \"0-1\"}}");
        RestoreState r = new StateFile(ok).read().orElseThrow();
        assertThat(r.pid()).isEqualTo(42);
        assertThat(r.loadedModules()).isTrue();
        assertThat(r.irqAffinity()).containsEntry(24, "0-1");
    }

    @Test
    void plantedLinkAtTheTempPathIsNotFollowed(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(dir.resolve("run/state.json.tmp"), victim);
        StateFile f = new StateFile(dir.resolve("run/state.json"));
        RestoreState s = new RestoreState();
        s.pid(5);
        f.write(s);
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(f.read().orElseThrow().pid()).isEqualTo(5);
        assertThat(Files.isSymbolicLink(dir.resolve("run/state.json"))).isFalse();
    }

    @Test
    void startTimeRoundTrips(@TempDir Path dir) throws Exception {
        StateFile f = new StateFile(dir.resolve("state.json"));
        RestoreState s = new RestoreState();
        s.pid(ProcessHandle.current().pid());
        s.startTime(AgentProcess.startTime(s.pid()));
        f.write(s);
        assertThat(s.startTime()).isPositive();
        assertThat(f.read().orElseThrow().startTime()).isEqualTo(s.startTime());
    }
}
