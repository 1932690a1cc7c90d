package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.sim.Keyframes.Ease;
import org.junit.jupiter.api.Test;

class KeyframesTest {
  @Test
  void holdsItsEndsAndEasesBetweenPoints() {
    Keyframes k = Keyframes.from(100).hold(60).to(180, 10_000, Ease.EXPONENTIAL).to(300, 4_000);

    assertThat(k.applyAsDouble(-5)).isEqualTo(100);
    assertThat(k.applyAsDouble(30)).isEqualTo(100);
    assertThat(k.applyAsDouble(120))
        .isCloseTo(1_000, within(1e-9)); // x100 over 120 s: x10 half way
    assertThat(k.applyAsDouble(240)).isEqualTo(7_000);
    assertThat(k.applyAsDouble(1_000)).isEqualTo(4_000);
    assertThat(k.peak()).isEqualTo(10_000);
  }

  @Test
  void aJumpHoldsTheOldValueUntilItsTime_andTheNewOneFromThen() {
    Keyframes k = Keyframes.from(5).jump(60, 50);

    assertThat(k.applyAsDouble(59.9)).isEqualTo(5);
    assertThat(k.applyAsDouble(60)).isEqualTo(50);
    assertThat(k.applyAsDouble(61)).isEqualTo(50);
  }

  @Test
  void aQuadraticRampIsSlowFirst_andEveryEaseStaysBetweenItsEnds() {
    Keyframes q = Keyframes.from(0).to(100, 1, Ease.QUADRATIC);

    assertThat(q.applyAsDouble(50)).isEqualTo(0.25);
    for (Ease e : Ease.values()) {
      for (double x = 0; x <= 1; x += 0.05) {
        assertThat(e.apply(2, 8, x)).isBetween(2.0, 8.0);
        assertThat(e.apply(8, 2, x)).isBetween(2.0, 8.0);
      }
    }
  }

  @Test
  void pointsOutOfTimeOrderAreRefused() {
    assertThatThrownBy(() -> Keyframes.from(1).hold(60).to(30, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyframe at 30.0 s before the last one at 60.0 s");
  }
}
