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
                .hasMessageContaining(
                        "napi,threaded,threaded-defer,busy-read,kbp,eekbp,eekbp-freq,adaptive,adaptive-freq");
        assertThatThrownBy(() -> BenchMode.parseList("napi,,kbp")).hasMessageContaining("unknown mode ''");
        assertThatThrownBy(() -> BenchMode.parseList("eekbp+freq")).hasMessageContaining("unknown mode 'eekbp+freq'");
        assertThatThrownBy(() -> BenchMode.parseList("")).hasMessageContaining("unknown mode ''");
        assertThatThrownBy(() -> BenchMode.parseList("kbp,kbp")).hasMessageContaining("listed twice");
    }

    @Test
    void parsesEveryPeerOfMakeBench() {
        assertThat(BenchMode.parseList(BenchMode.allLabels())).containsExactly(BenchMode.values());
        assertThat(BenchMode.parseList("threaded-defer,busy-read,adaptive-freq")).containsExactly(
                BenchMode.THREADED_DEFER, BenchMode.BUSY_READ, BenchMode.ADAPTIVE_FREQ);
        assertThat(BenchMode.THREADED.kernelMode()).isEmpty();
        assertThat(BenchMode.BUSY_READ.kernelMode()).isEmpty();
        assertThat(BenchMode.ADAPTIVE.kernelMode()).contains(Mode.ADAPTIVE);
        assertThat(BenchMode.ADAPTIVE_FREQ.frequencyControl()).isTrue();
        assertThat(BenchMode.ADAPTIVE.frequencyControl()).isFalse();
    }

    @Test
    void stockKnobsOfEachPeer() {
        List<String> devs = List.of("eth0", "eth1");
        assertThat(BenchMode.THREADED_DEFER.stock().knobs(devs)).containsExactly(
                new StockTuning.Knob("sys/class/net/eth0/threaded", "1"),
                new StockTuning.Knob("sys/class/net/eth0/napi_defer_hard_irqs", "2"),
                new StockTuning.Knob("sys/class/net/eth0/gro_flush_timeout", "20000"),
                new StockTuning.Knob("sys/class/net/eth1/threaded", "1"),
                new StockTuning.Knob("sys/class/net/eth1/napi_defer_hard_irqs", "2"),
                new StockTuning.Knob("sys/class/net/eth1/gro_flush_timeout", "20000"),
                new StockTuning.Knob("proc/sys/net/core/busy_read", "0"),
                new StockTuning.Knob("proc/sys/net/core/busy_poll", "0"));
        assertThat(BenchMode.BUSY_READ.stock().knobs(List.of("eth0"))).contains(
                new StockTuning.Knob("sys/class/net/eth0/threaded", "0"),
                new StockTuning.Knob("proc/sys/net/core/busy_read", "50"),
                new StockTuning.Knob("proc/sys/net/core/busy_poll", "50"));
        assertThat(BenchMode.THREADED.stock().knobs(List.of("eth0"))).contains(
                new StockTuning.Knob("sys/class/net/eth0/threaded", "1"),
                new StockTuning.Knob("sys/class/net/eth0/gro_flush_timeout", "0"));
        // NAPI and the module modes reset everything: the module does not serve threaded napis
        for (BenchMode m : List.of(BenchMode.NAPI, BenchMode.KBP, BenchMode.EEKBP, BenchMode.ADAPTIVE_FREQ)) {
            assertThat(m.stock().knobs(List.of("eth0"))).as(m.label()).allMatch(k -> k.value().equals("0"));
        }
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
        assertThatThrownBy(() -> BenchMode.THREADED.applyTo(base)).isInstanceOf(IllegalStateException.class);
        Config adaptive = BenchMode.ADAPTIVE_FREQ.applyTo(base);
        assertThat(adaptive.kernel().mode()).isEqualTo(Mode.ADAPTIVE);
        assertThat(adaptive.frequency().control()).isTrue();
    }
}
