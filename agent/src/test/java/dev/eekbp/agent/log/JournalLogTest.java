package dev.eekbp.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JournalLogTest {
    @Test
    void levelTagsBecomeSdDaemonPrioritiesAndContinuationLinesKeepThem() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new JournalLog.PriorityPrefix(sink), true, StandardCharsets.UTF_8);
        err.println("[INFO] Daemon - ready");
        err.println("[ERROR] Daemon - config change rejected:");
        err.println("/etc/eekbp/eekbp.toml:2: kernel.quota: must be in 1..1024, got 0");
        err.print("[WARN] Agent - irqbalance");
        err.print(" is running\n");
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("<6>Daemon - ready\n"
                + "<3>Daemon - config change rejected:\n"
                + "<3>/etc/eekbp/eekbp.toml:2: kernel.quota: must be in 1..1024, got 0\n"
                + "<4>Agent - irqbalance is running\n");
    }

    @Test
    void stderrIdentityMatchesTheJournalStreamFormat() {
        assertThat(JournalLog.stderrDevIno()).matches("\\d+:\\d+");
    }
}
