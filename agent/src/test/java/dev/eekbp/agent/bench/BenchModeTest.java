package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.config.KernelConfig;
import dev.eekbp.agent.config.Mode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchModeTest {
    @Test
    void parsesListInOrder() {
        assertThat(BenchMode.parseList("eekbp-freq, napi,kbp"))
                .containsExactly(BenchMode.EEKBP_FREQ, BenchMode.NAPI, BenchMode.KBP);
    }

    @Test
    void rejectsUnknownAndRepeatedModes() {
        assertThatThrownBy(() -> BenchMode.parseList("napi,busy")).hasMessageContaining("unknown mode 'busy'")
                .hasMessageContaining("napi,kbp,eekbp,eekbp-freq");
        assertThatThrownBy(() -> BenchMode.parseList("")).hasMessageContaining("unknown mode ''");
        assertThatThrownBy(() -> BenchMode.parseList("kbp,kbp")).hasMessageContaining("listed twice");
    }

    @Test
    void appliesModeAndFrequencyControlKeepingTheRest() {
        Config d = Config.defaults();
        Config base = new Config(new KernelConfig(Mode.NAPI, CpuList.parse("2-3"), List.of("eth1"), 32,
                Optional.empty(), "fifo:5", 80), d.frequency(), d.placement(), d.telemetry());
        Config kbp = BenchMode.KBP.applyTo(base);
        assertThat(kbp.kernel().mode()).isEqualTo(Mode.KBP);
        assertThat(kbp.frequency().control()).isFalse();
        assertThat(kbp.kernel().cpus()).isEqualTo(CpuList.parse("2-3"));
        assertThat(kbp.kernel().devices()).containsExactly("eth1");
        assertThat(kbp.kernel().quota()).isEqualTo(32);
        Config freq = BenchMode.EEKBP_FREQ.applyTo(base);
        assertThat(freq.kernel().mode()).isEqualTo(Mode.EEKBP);
        assertThat(freq.frequency().control()).isTrue();
        assertThatThrownBy(() -> BenchMode.NAPI.applyTo(base)).isInstanceOf(IllegalStateException.class);
    }
}
