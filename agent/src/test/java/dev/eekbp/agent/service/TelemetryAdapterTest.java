package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.power.Energy;
import dev.eekbp.agent.power.Power;
import dev.eekbp.agent.telemetry.TelemetrySnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryAdapterTest {
    @Test
    void statusLinesSayUnknownInsteadOfNanAndListAMissingSourceOnce() {
        var msr = new TelemetrySnapshot.PowerDomain("rapl-msr", "", false, "no /dev/cpu/0/msr", new Energy(0),
                Power.UNKNOWN);
        TelemetrySnapshot s = new TelemetrySnapshot(Instant.EPOCH, 2, List.of(msr), Optional.empty(),
                Optional.empty(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Optional.empty(),
                List.of("rapl-msr: no /dev/cpu/0/msr", "cpuidle: no idle states"));
        List<String> lines = TelemetryAdapter.lines(s);
        assertThat(String.join("\n", lines)).doesNotContain("NaN");
        assertThat(lines.get(0)).isEqualTo("telemetry: power unknown, polling threads unknown, unknown/thread,"
                + " unknown/packet");
        assertThat(lines.stream().filter(l -> l.contains("no /dev/cpu/0/msr"))).hasSize(1);
        assertThat(lines).contains("telemetry: unavailable cpuidle: no idle states");
    }
}
