package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistTest {

    @Test
    void nearestRankPercentilesOfTheDump() {
        LatencyHist h = LatencyHist.parse("12 50\n13 40\n40 9\n900 1\n");
        assertThat(h.total()).isEqualTo(100);
        assertThat(h.percentile(50)).isEqualTo(12);
        assertThat(h.percentile(51)).isEqualTo(13);
        assertThat(h.percentile(99)).isEqualTo(40);
        assertThat(h.percentile(99.9)).isEqualTo(900);
        assertThat(h.max()).isEqualTo(900);
        assertThat(h.summary()).isEqualTo("n=100 p50=12 p99=40 p99.9=900 max=900 us");
    }

    @Test
    void emptyDumpHasNoPercentiles() {
        LatencyHist h = LatencyHist.parse("");
        assertThat(h.total()).isZero();
        assertThat(h.percentile(50)).isNaN();
        assertThat(h.max()).isNaN();
    }

    @Test
    void wrappedNegativeDifferencesAreCountedNotRanked() {
        LatencyHist h = LatencyHist.parse("12 3\n18446744073709547039 1\n");
        assertThat(h.total()).isEqualTo(3);
        assertThat(h.wrapped()).isEqualTo(1);
        assertThat(h.max()).isEqualTo(12);
        assertThat(h.summary()).endsWith("(1 wrapped, left out)");
    }

    @Test
    void garbageIsAnErrorNotAZero() {
        assertThatThrownBy(() -> LatencyHist.parse("12 x\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12 x");
        assertThatThrownBy(() -> LatencyHist.parse("-3 4\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyHist.parse("99999999999999999999999 1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
