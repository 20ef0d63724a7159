package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Rfc2544SearchTest {

    /** A trial at the asked rate that passes when {@code ok} says so. */
    static java.util.function.DoubleFunction<Rfc2544Search.Trial> when(
            java.util.function.DoublePredicate ok) {
        return pps -> new Rfc2544Search.Trial(pps, pps, ok.test(pps));
    }

    @Test
    void convergesOnTheCapacityWithinTheResolution() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 50, 20, when(pps -> pps <= 1370));
        assertThat(o.zeroLossPps()).isBetween(1320.0, 1370.0);
        assertThat(o.trials()).allSatisfy(t -> assertThat(t.zeroLoss()).isEqualTo(t.pps() <= 1370));
    }

    @Test
    void stopsAtTheFirstTrialWhenTheMaximumPasses() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(1000, 10, 8, when(pps -> true));
        assertThat(o.zeroLossPps()).isEqualTo(1000);
        assertThat(o.trials()).hasSize(1);
    }

    @Test
    void reportsZeroWhenNothingPassesAndRespectsTheTrialBudget() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 1, 4, when(pps -> false));
        assertThat(o.zeroLossPps()).isZero();
        assertThat(o.trials()).hasSize(4);
        assertThat(o.trials().get(3).pps()).isEqualTo(400);
    }

    @Test
    void coarseSearchKeepsTheBestPassingRate() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 200, 4, when(pps -> pps <= 1000));
        // 3200 fail, 1600 fail, 800 pass, 1200 fail.
        assertThat(o.zeroLossPps()).isEqualTo(800);
    }

    @Test
    void aTrialTheCallerRejectsLowersTheRate() {
        // the generator reaches only 70 % of 3200 pps: that trial must not count as zero-loss
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 100, 6,
                pps -> new Rfc2544Search.Trial(pps, Math.min(pps, 2240), pps <= 2240));
        assertThat(o.trials().get(0).zeroLoss()).isFalse();
        assertThat(o.trials().get(0).offeredPps()).isEqualTo(2240);
        assertThat(o.zeroLossPps()).isLessThanOrEqualTo(2240);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Rfc2544Search.search(0, 1, 1, when(p -> true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLowCeilingGetsAFinerResolutionAndUsesItsTrials() {
        assertThat(BenchRunner.rfcResolution(12800, 400)).isEqualTo(400);
        assertThat(BenchRunner.rfcResolution(859, 400)).isEqualTo(859 / 32.0);
        // with the fixed 400 pps the search stopped after 3 trials at this ceiling
        assertThat(Rfc2544Search.search(859, 400, 5, when(pps -> pps <= 700)).trials())
                .hasSize(3);
        assertThat(Rfc2544Search.search(859, BenchRunner.rfcResolution(859, 400), 5,
                when(pps -> pps <= 700))).satisfies(o -> {
                    assertThat(o.trials()).hasSize(5);
                    assertThat(o.zeroLossPps()).isBetween(644.0, 700.0);
                });
    }

    @Test
    void ascendDoublesUntilALossThenHalvesTheGap() {
        Rfc2544Search.Outcome o = Rfc2544Search.ascend(250, 12800, 6, when(pps -> pps <= 2600));
        // 250, 500, 1000, 2000 pass, 4000 fails, 3000 fails
        assertThat(o.trials()).extracting(Rfc2544Search.Trial::pps)
                .containsExactly(250.0, 500.0, 1000.0, 2000.0, 4000.0, 3000.0);
        assertThat(o.zeroLossPps()).isEqualTo(2000);
        assertThat(Rfc2544Search.ascend(250, 12800, 7, when(pps -> pps <= 2600)).zeroLossPps())
                .isEqualTo(2500);
    }

    @Test
    void ascendStopsAtItsCeilingAndReportsZeroWhenTheFirstTrialLoses() {
        Rfc2544Search.Outcome top = Rfc2544Search.ascend(1000, 3000, 8, when(pps -> true));
        assertThat(top.trials()).extracting(Rfc2544Search.Trial::pps)
                .containsExactly(1000.0, 2000.0, 3000.0);
        assertThat(top.zeroLossPps()).isEqualTo(3000);
        Rfc2544Search.Outcome none = Rfc2544Search.ascend(250, 3000, 3, when(pps -> false));
        assertThat(none.zeroLossPps()).isZero();
        assertThat(none.trials()).extracting(Rfc2544Search.Trial::pps)
                .containsExactly(250.0, 125.0, 62.5);
    }

    /** Trials whose verdicts come from a script, one per call, in order. */
    static java.util.function.DoubleFunction<Rfc2544Search.Trial> scripted(String verdicts) {
        java.util.Iterator<Character> it = verdicts.chars().mapToObj(c -> (char) c).iterator();
        return pps -> {
            char v = it.next();
            return new Rfc2544Search.Trial(pps, pps, v == 'p', v == 'g');
        };
    }

    @Test
    void aMajorityOfTrialsJudgesEachRate() {
        // 3200: fail, pass, fail -> fails; 1600: pass, fail, pass -> passes; 2400: pass, pass
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 400, 3, 3, scripted("fpfpfppp"));
        assertThat(o.rates()).isEqualTo(3);
        assertThat(o.zeroLossPps()).isEqualTo(2400);
        assertThat(o.trials()).extracting(Rfc2544Search.Trial::pps)
                .containsExactly(3200.0, 3200.0, 3200.0, 1600.0, 1600.0, 1600.0, 2400.0, 2400.0);
    }

    @Test
    void oneHiccupNoLongerDecidesARate() {
        // the single-trial search fails the ceiling on its one lossy trial
        assertThat(Rfc2544Search.search(3200, 400, 1, scripted("fpp")).zeroLossPps()).isZero();
        assertThat(Rfc2544Search.search(3200, 400, 1, 3, scripted("fpp")).zeroLossPps())
                .isEqualTo(3200);
    }

    @Test
    void aGrossLossSettlesTheRateWithoutARepeat() {
        Rfc2544Search.Outcome o = Rfc2544Search.search(3200, 400, 2, 3, scripted("gpp"));
        assertThat(o.trials()).extracting(Rfc2544Search.Trial::pps)
                .containsExactly(3200.0, 1600.0, 1600.0);
        assertThat(o.zeroLossPps()).isEqualTo(1600);
    }

    @Test
    void anEvenVoteIsRejected() {
        assertThatThrownBy(() -> Rfc2544Search.search(3200, 400, 2, 2, when(p -> true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("odd");
    }

    @Test
    void aTrialIsGrossWhenItLosesMoreThanFivePercent() {
        LoadResult hiccup = new LoadResult(16000, 15500, 8000, 0, 0, 0, 0, 0);
        LoadResult overload = new LoadResult(16000, 14000, 8000, 0, 0, 0, 0, 0);
        LoadResult clean = new LoadResult(16000, 16000, 8000, 0, 0, 0, 0, 0);
        assertThat(BenchRunner.rfcTrial(8000, hiccup)).satisfies(t -> {
            assertThat(t.zeroLoss()).isFalse();
            assertThat(t.gross()).isFalse();
        });
        assertThat(BenchRunner.rfcTrial(8000, overload).gross()).isTrue();
        assertThat(BenchRunner.rfcTrial(8000, clean).zeroLoss()).isTrue();
        assertThat(BenchRunner.rfcTrial(8300, clean).zeroLoss()).isFalse();
    }

    @Test
    void ascendJudgesEachRateByItsMajorityToo() {
        // 2000: pass, pass; 4000: fail, pass, fail -> fails; 3000: gross -> fails
        Rfc2544Search.Outcome o = Rfc2544Search.ascend(2000, 12800, 3, 3, scripted("ppfpfg"));
        assertThat(o.rates()).isEqualTo(3);
        assertThat(o.trials()).hasSize(6);
        assertThat(o.zeroLossPps()).isEqualTo(2000);
    }
}
