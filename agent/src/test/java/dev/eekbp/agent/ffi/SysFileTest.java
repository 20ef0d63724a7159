package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysFileTest {
    @TempDir
    Path dir;

    @Test
    void rereadsFromOffsetZeroAndParsesTheNumber() throws IOException {
        Path p = Files.writeString(dir.resolve("energy_uj"), "  123456789\n");
        try (SysFile f = SysFile.open(p, 64)) {
            assertThat(f.readLong()).isEqualTo(123456789L);
            Files.writeString(p, "42\n");
            assertThat(f.readLong()).isEqualTo(42L);
        }
    }

    @Test
    void growsWhenTheFileOutgrowsTheBuffer() throws IOException {
        String big = "x".repeat(1000) + "\n";
        Path p = Files.writeString(dir.resolve("interrupts"), big);
        try (SysFile f = SysFile.open(p, 16)) {
            assertThat(f.read()).isEqualTo(big.length());
            assertThat(f.truncated()).isFalse();
            assertThat(f.byteAt(1000)).isEqualTo((byte) '\n');
        }
    }

    @Test
    void textScanHelpers() throws IOException {
        Path p = Files.writeString(dir.resolve("t"), "NET_RX:  15  7\nnext\n");
        try (SysFile f = SysFile.open(p, 64)) {
            int len = f.read();
            assertThat(TextScan.startsWith(f, 0, len, "NET_RX")).isTrue();
            int i = TextScan.skipSpaces(f, 7, len);
            assertThat(TextScan.parseUnsigned(f, i, len)).isEqualTo(15);
            assertThat(TextScan.nextLine(f, 0, len)).isEqualTo(15);
            assertThat(TextScan.parseUnsigned(f, 0, len)).isEqualTo(-1);
        }
    }
}
