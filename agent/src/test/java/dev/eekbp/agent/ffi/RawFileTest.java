package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawFileTest {
    @Test
    void pollTimesOutOnAFifoWithoutData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path fifo = dir.resolve("f");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (RawFile f = RawFile.open(fifo.toString(), RawFile.O_RDWR)) {
            assertThat(f.pollIn(20)).isFalse();
        }
    }
}
