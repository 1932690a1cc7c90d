package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTest {
  @Test
  void bothZeroMeetsAnyLimit_andSaysSo() {
    Ratio r = new Ratio(0, 0);

    assertThat(r.kind()).isEqualTo(Ratio.Kind.BOTH_ZERO);
    assertThat(r.atMost(0.05)).isTrue();
    assertThat(r.value()).isZero();
    assertThat(r.render(true)).isEqualTo("both 0");
    assertThat(r.render(false)).isEqualTo("both 0");
  }

  @Test
  void anythingAgainstAPerfectBaselineMissesEveryLimit_andShowsLiffeysFigure() {
    Ratio r = new Ratio(1_234.4, 0);

    assertThat(r.kind()).isEqualTo(Ratio.Kind.BASELINE_ZERO);
    assertThat(r.atMost(1_000_000)).isFalse();
    assertThat(r.value()).isInfinite();
    assertThat(r.render(true)).isEqualTo("1,234 vs 0");
  }

  @Test
  void anOrdinaryRatioIsComparedWithItsLimitInclusively() {
    assertThat(new Ratio(5, 100).atMost(0.05)).isTrue();
    assertThat(new Ratio(5.01, 100).atMost(0.05)).isFalse();
    assertThat(new Ratio(0, 100).atMost(0)).isTrue();
    assertThat(new Ratio(42, 1_000).render(true)).isEqualTo("4.2%");
    assertThat(new Ratio(3, 10).render(true)).isEqualTo("30%");
    assertThat(new Ratio(3, 10_000).render(true)).isEqualTo("0.030%");
    assertThat(new Ratio(4, 1_000_000).render(true)).isEqualTo("0.00040%");
    // 100% reads "the same": a ratio just off it shows where it is.
    assertThat(new Ratio(3_772_030, 3_765_124).render(true)).isEqualTo("100.2%");
    assertThat(new Ratio(9_996, 10_000).render(true)).isEqualTo("99.96%");
    assertThat(new Ratio(7, 7).render(true)).isEqualTo("100%");
    // The same viewer-seconds summed in another order differ in the last bits: still the same.
    Ratio rounding = new Ratio(1_000_000.000000001, 1_000_000);
    assertThat(rounding.render(true)).isEqualTo("100%");
    assertThat(rounding.atMost(1.0)).isTrue();
    assertThat(new Ratio(1_000_001, 1_000_000).atMost(1.0)).isFalse();
    assertThat(new Ratio(0, 10).render(true)).isEqualTo("0%");
    assertThat(new Ratio(114, 100).render(false)).isEqualTo("1.14x");
  }

  @Test
  void aSlackInTheFiguresUnitAllowsThatMuchMoreThanTheLimit_andNoMore() {
    assertThat(new Ratio(204_590.3, 204_590).atMost(1.0)).isFalse();
    assertThat(new Ratio(204_590.3, 204_590).atMost(1.0, 1)).isTrue();
    assertThat(new Ratio(204_591.5, 204_590).atMost(1.0, 1)).isFalse();
    assertThat(new Ratio(0.4, 0).atMost(1.0, 1)).isTrue();
    assertThat(new Ratio(1.5, 0).atMost(1.0, 1)).isFalse();
  }

  @Test
  void onlyTheRoutingRatioForgivesAFractionOfAViewerSecond() {
    Ratio fraction = new Ratio(204_590.3, 204_590);
    assertThat(SuiteRatio.UNSERVED_VS_FIXED_ROUTING.within(fraction)).isTrue();
    assertThat(SuiteRatio.UNSERVED_VS_FIXED_ROUTING.within(new Ratio(204_592, 204_590))).isFalse();
    assertThat(SuiteRatio.UNSERVED_VS_FIXED_ROUTING.within(new Ratio(0.3, 0))).isTrue();
    // Every other ratio is judged as it is: a share or a multiple has no unit to forgive in.
    assertThat(SuiteRatio.UNSERVED_VS_TARGET_TRACKING.within(new Ratio(0.3, 0))).isFalse();
    assertThat(SuiteRatio.COST_VS_ORACLE.within(new Ratio(1.2500001, 1))).isFalse();
  }

  @Test
  void ratiosOrderFromBothZeroThroughFiniteToWorseThanPerfect() {
    List<Ratio> rs =
        new ArrayList<>(
            List.of(
                new Ratio(7, 0),
                new Ratio(3, 1),
                new Ratio(0, 0),
                new Ratio(2, 0),
                new Ratio(1, 10)));
    Collections.sort(rs);

    assertThat(rs)
        .containsExactly(
            new Ratio(0, 0), new Ratio(1, 10), new Ratio(3, 1), new Ratio(2, 0), new Ratio(7, 0));
  }

  @Test
  void negativeOrNonFiniteFiguresAreRefused() {
    assertThatThrownBy(() -> new Ratio(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ratio(Double.NaN, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ratio(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
