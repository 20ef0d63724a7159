package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Rfc2544SearchTest {

    @Test
    void convergesOnTheCapacityWithinTheResolution() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 50, 20, pps -> pps <= 1370);
        assertThat(o.zeroLossPps()).isBetween(1320.0, 1370.0);
        assertThat(o.trials()).allSatisfy(t -> assertThat(t.zeroLoss()).isEqualTo(t.pps() <= 1370));
    }

    @Test
    void stopsAtTheFirstTrialWhenTheMaximumPasses() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(1000, 10, 8, pps -> true);
        assertThat(o.zeroLossPps()).isEqualTo(1000);
        assertThat(o.trials()).hasSize(1);
    }

    @Test
    void reportsZeroWhenNothingPassesAndRespectsTheTrialBudget() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 1, 4, pps -> false);
        assertThat(o.zeroLossPps()).isZero();
        assertThat(o.trials()).hasSize(4);
        assertThat(o.trials().get(3).pps()).isEqualTo(400);
    }

    @Test
    void coarseSearchKeepsTheBestPassingRate() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 200, 4, pps -> pps <= 1000);
        // 3200 fail, 1600 fail, 800 pass, 1200 fail.
        assertThat(o.zeroLossPps()).isEqualTo(800);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Rfc2544Search.search(0, 1, 1, p -> true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
