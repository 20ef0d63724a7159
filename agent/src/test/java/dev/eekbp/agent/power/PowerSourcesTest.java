package dev.eekbp.agent.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PowerSourcesTest {
    @Test
    void offGivesNoSources() {
        assertThat(PowerSources.open("off", "off")).isEmpty();
    }

    @Test
    void badRaplSettingIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> PowerSources.open("rapl", "off"))
                .hasMessageContaining("auto, powercap, msr or off");
    }

    /** On a machine without powercap and MSRs, auto names both reasons. */
    @Test
    void autoWithoutRaplReportsBothReasons() {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/class/powercap/intel-rapl:0")));
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/cpu/0/msr")));
        List<PowerSource> s = PowerSources.open("auto", "/nonexistent/ipmi0");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).availability().available()).isFalse();
        assertThat(s.get(0).availability().reason()).contains("MSR fallback");
        assertThat(s.get(1).id()).isEqualTo("ipmi-dcmi");
        assertThat(s.get(1).availability().reason()).contains("/nonexistent/ipmi0").contains("ENOENT");
        s.forEach(PowerSource::close);
    }
}
