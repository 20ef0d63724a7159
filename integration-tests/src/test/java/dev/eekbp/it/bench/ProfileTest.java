package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {

    @Test
    void fullProfileInstrumentsEveryTrafficCondition() {
        List<Condition> matrix = Profile.FULL.conditions(2000);
        List<Condition> traffic = matrix.stream().filter(c -> !c.idle()).toList();

        assertThat(Profile.pick(matrix, Profile.FULL.passes().latency()))
                .hasSize(10).containsExactlyElementsOf(traffic);
    }

    @Test
    void pickKeepsNamedConditionsInMatrixOrderWithoutIdle() {
        List<Condition> matrix = Profile.FULL.conditions(2000);

        assertThat(Profile.pick(matrix, List.of("sweep-6", "idle", "80M-64")))
                .extracting(Condition::id).containsExactly("80M-64", "sweep-6");
        assertThat(Profile.pick(matrix, List.of("no-such"))).isEmpty();
    }
}
