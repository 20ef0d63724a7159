package dev.eekbp.it.bmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Host-only checks of the wire codec and the simulator's answers. */
class VmCodecTest {
    @Test
    void controlCommandsAndAnEscapedMessage() {
        VmCodec c = new VmCodec();
        // version and capabilities as QEMU sends them on connect
        List<VmCodec.Frame> f = c.feed(new byte[] {(byte) 0xFF, 0x01, (byte) 0xA1, 0x08, 0x3F, (byte) 0xA1}, 6);
        assertThat(f).hasSize(2);
        assertThat(f.get(0).message()).isFalse();
        assertThat(f.get(0).bytes()).containsExactly(0xFF, 0x01);
        byte[] payload = {(byte) 0xA0, 0x18, 0x01, (byte) 0xAA};
        byte[] wire = VmCodec.encodeMessage(payload);
        assertThat(wire).contains((byte) 0xAA, (byte) 0xB0); // 0xA0 escaped
        f = c.feed(wire, wire.length);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).message()).isTrue();
        assertThat(f.get(0).bytes()).containsExactly(payload);
    }

    @Test
    void badChecksumIsDropped() {
        VmCodec c = new VmCodec();
        byte[] wire = VmCodec.encodeMessage(new byte[] {1, 0x18, 1});
        wire[1]++;
        assertThat(c.feed(wire, wire.length)).isEmpty();
        assertThat(c.badChecksums()).isEqualTo(1);
    }

    @Test
    void simulatorAnswersDcmiAndDeviceId() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eekbp-bmc-unit");
        try (BmcSimulator s = new BmcSimulator(dir.resolve("s.sock"), new BmcSimulator.Reading(187, 120, 260, 190,
                60_000))) {
            byte[] r = s.handle(new byte[] {7, (byte) (0x2C << 2), 0x02, (byte) 0xDC, 1, 0, 0});
            assertThat(r[0]).isEqualTo((byte) 7);
            assertThat(r[1] & 0xFF).isEqualTo(0x2D << 2);
            assertThat(r[3]).isZero(); // completion code
            assertThat(r[4] & 0xFF).isEqualTo(0xDC);
            assertThat((r[5] & 0xFF) | (r[6] & 0xFF) << 8).isEqualTo(187);
            s.controlFile(java.nio.file.Files.writeString(dir.resolve("mode"), "c1\n"));
            assertThat(s.handle(new byte[] {8, (byte) (0x2C << 2), 0x02})[3] & 0xFF).isEqualTo(0xC1);
            byte[] id = s.handle(new byte[] {9, 0x18, 0x01});
            assertThat(id[1] & 0xFF).isEqualTo(0x1C);
            assertThat(id.length).isEqualTo(3 + 16);
            assertThat(s.count("2c/02")).isEqualTo(2);
        }
    }
}
