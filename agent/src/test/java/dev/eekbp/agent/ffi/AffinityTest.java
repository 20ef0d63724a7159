package dev.eekbp.agent.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Real sched_getaffinity/sched_setaffinity on this test's own thread (tid 0). */
class AffinityTest {

    @Test
    void pinsThisThreadAndPutsItsAffinityBack() throws Exception {
        BitSet before = Affinity.get(0);
        assertThat(before.cardinality()).isPositive();
        BitSet one = new BitSet();
        one.set(before.nextSetBit(0));
        try {
            Affinity.set(0, one);
            assertThat(Affinity.get(0)).isEqualTo(one);
        } finally {
            Affinity.set(0, before);
        }
        assertThat(Affinity.get(0)).isEqualTo(before);
    }

    @Test
    void aThreadThatDoesNotExistIsEsrch() {
        BitSet cpu0 = new BitSet();
        cpu0.set(0);
        assertThatThrownBy(() -> Affinity.set(999_999_999, cpu0)).isInstanceOf(NativeException.class)
                .hasMessageContaining("ESRCH").hasMessageContaining("thread 999999999");
        assertThatThrownBy(() -> Affinity.get(999_999_999)).isInstanceOf(NativeException.class)
                .hasMessageContaining("sched_getaffinity");
    }

    @Test
    void emptyOrTooLargeSetsAreRefusedBeforeTheCall() {
        BitSet big = new BitSet();
        big.set(1024);
        assertThatThrownBy(() -> Affinity.set(0, new BitSet())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Affinity.set(0, big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-1023");
    }
}
