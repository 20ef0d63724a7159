package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.UnixDatagram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
    @Test
    void lifecycleMessagesReachTheNotifySocket(@TempDir Path dir) throws Exception {
        String sock = dir.resolve("notify").toString();
        try (UnixDatagram rx = UnixDatagram.bind(sock);
                Notifier n = Notifier.fromEnvironment(Map.of("NOTIFY_SOCKET", sock, "WATCHDOG_USEC", "4000000"))) {
            assertThat(n.active()).isTrue();
            assertThat(n.watchdogInterval()).contains(Duration.ofSeconds(2));
            n.ready("serving");
            n.watchdog();
            n.status("reloaded");
            n.stopping("bye");
            assertThat(rx.receive(4096, 2000)).startsWith("READY=1\nSTATUS=serving\nMAINPID=");
            assertThat(rx.receive(4096, 2000)).isEqualTo("WATCHDOG=1");
            assertThat(rx.receive(4096, 2000)).isEqualTo("STATUS=reloaded");
            assertThat(rx.receive(4096, 2000)).isEqualTo("STOPPING=1\nSTATUS=bye");
        }
    }

    @Test
    void abstractSocketWorks() throws Exception {
        String sock = "@eekbp-notify-test-" + System.nanoTime();
        try (UnixDatagram rx = UnixDatagram.bind(sock); Notifier n = Notifier.fromEnvironment(Map.of(
                "NOTIFY_SOCKET", sock))) {
            n.ready("x");
            assertThat(rx.receive(4096, 2000)).startsWith("READY=1");
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        try (Notifier n = Notifier.fromEnvironment(Map.of())) {
            assertThat(n.active()).isFalse();
            n.ready("x");
            assertThat(n.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void watchdogForAnotherPidIsIgnored() {
        try (Notifier n = Notifier.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1"))) {
            assertThat(n.watchdogInterval()).isEmpty();
        }
    }
}
