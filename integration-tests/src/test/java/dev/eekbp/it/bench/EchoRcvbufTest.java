package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EchoRcvbufTest {

    @Test
    void unsetOrBlankMeansTheSystemDefault() {
        assertThat(BenchRunner.echoRcvbuf((String) null)).isZero();
        assertThat(BenchRunner.echoRcvbuf(" ")).isZero();
    }

    @Test
    void aByteCountIsTakenAsGiven() {
        assertThat(BenchRunner.echoRcvbuf("4194304")).isEqualTo(4194304);
        assertThat(BenchRunner.echoRcvbuf(" 0 ")).isZero();
    }

    @Test
    void badValuesAreRejectedWithTheVariableNamed() {
        for (String bad : new String[] {"-1", "4M", "abc", "4294967296"}) {
            assertThatThrownBy(() -> BenchRunner.echoRcvbuf(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BENCH_ECHO_RCVBUF").hasMessageContaining(bad);
        }
    }
}
