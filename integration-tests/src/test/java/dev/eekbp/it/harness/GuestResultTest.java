package dev.eekbp.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result parsing and failure messages, without booting anything. */
class GuestResultTest {

    @TempDir
    Path dir;

    private GuestResult result(int exit, boolean timedOut, String log) throws Exception {
        Path file = dir.resolve("serial.log");
        Files.writeString(file, log);
        return new GuestResult("unit", exit, timedOut, dir, file, Duration.ofSeconds(1));
    }

    @Test
    void parsesTestLinesAndFailures() throws Exception {
        GuestResult r = result(0, false, "boot\r\nTEST: a [ OK ]\r\nTEST: b c [FAIL]\n"
                + "TEST: d [SKIP]\nnoise TEST: e [ OK ]\n");
        assertThat(r.testLines()).containsExactly("TEST: a [ OK ]", "TEST: b c [FAIL]",
                "TEST: d [SKIP]");
        assertThat(r.failedTests()).containsExactly("b c");
        assertThatThrownBy(r::assertTestsPassed).isInstanceOf(AssertionError.class)
                .hasMessageContaining("b c").hasMessageContaining("TEST: d [SKIP]");
    }

    @Test
    void failureCarriesTailAndLogPath() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            log.append("line ").append(i).append('\n');
        }
        GuestResult r = result(2, false, log.toString());
        assertThatThrownBy(r::assertSuccess).isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited 2").hasMessageContaining("line 199")
                .hasMessageNotContaining("line 100\n")
                .hasMessageContaining(dir.resolve("serial.log").toString());
    }

    @Test
    void timeoutAndMissingExitCodeAreNamed() throws Exception {
        assertThatThrownBy(result(GuestResult.NO_EXIT_CODE, true, "")::assertSuccess)
                .hasMessageContaining("timed out");
        assertThatThrownBy(result(GuestResult.NO_EXIT_CODE, false, "")::assertSuccess)
                .hasMessageContaining("without reporting an exit code");
        assertThat(result(0, false, "").assertSuccess().exitCode()).isZero();
    }

    @Test
    void missingResultFileFails() throws Exception {
        Files.writeString(dir.resolve("present"), "x");
        GuestResult r = result(0, false, "");
        assertThat(r.file("present")).isEqualTo("x");
        assertThatThrownBy(() -> r.file("absent")).hasMessageContaining("$RESULTS/absent");
    }

    @Test
    void specRejectsBadInput() {
        Kernel k = new Kernel("6.1.0-0-amd64", dir);
        assertThatThrownBy(() -> GuestSpec.builder(k).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> GuestSpec.builder(k).script("true").smp(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuestSpec.builder(k).env("BAD-NAME", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        GuestSpec s = GuestSpec.builder(k).script("true").kernelArgs("a=1  b", "c").build();
        assertThat(s.kernelArgs()).containsExactly("a=1", "b", "c");
        assertThat(s.nic()).isEqualTo(Nic.VIRTIO);
    }
}
