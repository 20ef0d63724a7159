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

    @Test
    void sparseCellsOfTheIssue11ProfilesLastForSixtyEchoes() {
        List<Condition> matrix = Profile.FULL.conditions(2000);
        Condition sparsest = matrix.stream().filter(c -> c.id().equals("80M-1518")).findFirst()
                .orElseThrow();
        Condition sweepTop = matrix.stream().filter(c -> c.id().equals("sweep-6")).findFirst()
                .orElseThrow();

        assertThat(Profile.FULL.cellLength(sparsest).toMillis() * sparsest.pps() / 1000)
                .isBetween(60.0, 61.0);
        assertThat(Profile.FULL.cellLength(sweepTop)).isEqualTo(Profile.FULL.cell());
        assertThat(Profile.FULL.cellLength(Condition.IDLE)).isEqualTo(Profile.FULL.cell());
        Condition paperSparse = Profile.QUICK.conditions(0).stream()
                .filter(c -> c.id().equals("80M-1518")).findFirst().orElseThrow();
        assertThat(Profile.QUICK.cellLength(paperSparse)).isEqualTo(Profile.QUICK.cell());
    }
}
