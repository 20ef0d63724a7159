package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.config.CpuList;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    static final String STAT = """
            cpu  500 0 300 9000 100 0 50 0 0 0
            cpu0 200 0 100 4500 50 0 20 0 0 0
            cpu1 300 0 200 4500 50 0 30 5 0 0
            intr 12345
            ctxt 999
            """;

    @Test
    void sumsBusyAndTotalOfTheChosenCpusOnly() {
        long[] one = ProcStat.parse(STAT, CpuList.of(1));
        assertThat(one[0]).isEqualTo(300 + 200 + 30 + 5);
        assertThat(one[1]).isEqualTo(300 + 200 + 4500 + 50 + 30 + 5);
        long[] both = ProcStat.parse(STAT, CpuList.parse("0-1"));
        assertThat(both[0]).isEqualTo(320 + 535);
    }

    @Test
    void absentCpuGivesZero() {
        assertThat(ProcStat.parse(STAT, CpuList.of(7))).containsExactly(0, 0);
    }
}
