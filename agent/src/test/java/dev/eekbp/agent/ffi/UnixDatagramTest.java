package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixDatagramTest {
    @Test
    void sendsToAPathSocket(@TempDir Path dir) throws Exception {
        String addr = dir.resolve("notify.sock").toString();
        try (UnixDatagram rx = UnixDatagram.bind(addr); UnixDatagram tx = UnixDatagram.open()) {
            tx.send(addr, "READY=1\nSTATUS=hello");
            assertThat(rx.receive(4096, 2000)).isEqualTo("READY=1\nSTATUS=hello");
        }
    }

    @Test
    void sendsToAnAbstractSocket() throws Exception {
        String addr = "@eekbp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (UnixDatagram rx = UnixDatagram.bind(addr); UnixDatagram tx = UnixDatagram.open()) {
            tx.send(addr, "WATCHDOG=1");
            assertThat(rx.receive(4096, 2000)).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void receiveTimesOutWithNull(@TempDir Path dir) throws Exception {
        try (UnixDatagram rx = UnixDatagram.bind(dir.resolve("s").toString())) {
            assertThat(rx.receive(64, 100)).isNull();
        }
    }

    @Test
    void sendingToNobodyIsAnOperatorReadableError(@TempDir Path dir) throws Exception {
        try (UnixDatagram tx = UnixDatagram.open()) {
            assertThatThrownBy(() -> tx.send(dir.resolve("nobody").toString(), "X"))
                    .isInstanceOfSatisfying(NativeException.class, e -> {
                        assertThat(e.errnoName()).isEqualTo("ENOENT");
                        assertThat(e.getMessage()).contains("sending to unix socket").contains("nobody");
                    });
        }
    }

    @Test
    void tooLongAddressIsRejected() throws Exception {
        try (UnixDatagram tx = UnixDatagram.open()) {
            assertThatThrownBy(() -> tx.send("/" + "x".repeat(120), "X")).isInstanceOf(NativeException.class)
                    .hasMessageContaining("longer than 107 bytes");
        }
    }
}
