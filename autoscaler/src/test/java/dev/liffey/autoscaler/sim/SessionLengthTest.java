package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Session lengths drawn from two phases have the mean and the spread asked for. */
class SessionLengthTest {
  @ParameterizedTest
  @ValueSource(doubles = {1, 1.5, 2, 3, 10})
  void thePhasesTogetherHaveTheMeanAndSpreadAskedFor(double cv) {
    SessionLength s = new SessionLength(900, cv);
    double mean = 0;
    double square = 0;
    for (int p = 0; p < SessionLength.PHASES; p++) {
      double m = s.phaseMeanSeconds(p);
      mean += s.startShare(p) * m;
      square += s.startShare(p) * 2 * m * m; // an exponential's second moment
    }

    assertThat(mean).isCloseTo(900, within(1e-6));
    assertThat(Math.sqrt(square - mean * mean) / mean).isCloseTo(cv, within(1e-9));
    // Each phase holds half the time watched.
    for (int p = 0; p < SessionLength.PHASES; p++) {
      assertThat(s.startShare(p) * s.phaseMeanSeconds(p) / mean).isCloseTo(0.5, within(1e-9));
    }
  }

  @Test
  void anExponentialsViewersLeaveAtOneRate_aWideSpreadKeepsItsLongWatchersForHours() {
    SessionLength exponential = new SessionLength(900, 1);
    SessionLength wide = new SessionLength(900, 3);

    assertThat(exponential.stillWatching(0)).isCloseTo(1, within(1e-12));
    assertThat(exponential.stillWatching(1800)).isCloseTo(Math.exp(-2), within(1e-12));
    // Most sessions started are short (95% at CV 3, 7.9 minutes on average), so those watching
    // leave fast at first; the long ones (2.4 hours) hold a third of them for an hour.
    assertThat(wide.startShare(0)).isCloseTo(0.947, within(0.001));
    assertThat(wide.stillWatching(3600)).isBetween(0.3, 0.35);
    assertThat(exponential.stillWatching(3600)).isLessThan(0.02);
  }

  @Test
  void aSpreadBelowAnExponentialsOrAMeanNotPositiveIsRefused_namingTheBounds() {
    assertThatThrownBy(() -> new SessionLength(900, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a session spread (coefficient of variation) must be 1 (exponential) to 10, got 0.5");
    assertThatThrownBy(() -> new SessionLength(900, 11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionLength(0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
