package dev.eekbp.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpuListTest {
    @Test
    void parsesAndFormatsCanonically() {
        assertThat(CpuList.parse("3,0-1").toString()).isEqualTo("0-1,3");
        assertThat(CpuList.parse(" 0 , 1 , 2 ").toString()).isEqualTo("0-2");
        assertThat(CpuList.parse("5").contains(5)).isTrue();
        assertThat(CpuList.parse("0-3").minus(CpuList.of(1)).toString()).isEqualTo("0,2-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "1-", "-1", "a", "1,,2", "3-1", "99999", "1.5", "0x1"})
    void rejectsBadLists(String s) {
        assertThatThrownBy(() -> CpuList.parse(s)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsRandomSets() {
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            BitSet b = new BitSet();
            for (int j = 0; j < 64; j++) {
                if (r.nextInt(3) == 0) {
                    b.set(r.nextInt(128));
                }
            }
            if (b.isEmpty()) {
                continue;
            }
            CpuList c = CpuList.of(b.stream().toArray());
            assertThat(CpuList.parse(c.toString())).isEqualTo(c);
            assertThat(c.size()).isEqualTo(b.cardinality());
        }
    }
}
