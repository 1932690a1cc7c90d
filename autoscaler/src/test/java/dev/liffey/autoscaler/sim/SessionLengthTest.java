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

  @ParameterizedTest
  @ValueSource(doubles = {2, 3})
  void aSteadyAudienceLeavesAsALogNormalOfTheSameMeanAndSpreadDoes_forHalfAnHour_neverFasterAfter(
      double cv) {
    SessionLength twoPhases = new SessionLength(900, cv);
    double sigma2 = Math.log(1 + cv * cv);
    double sigma = Math.sqrt(sigma2);
    double mu = Math.log(900) - sigma2 / 2;
    for (double t : new double[] {60, 360, 900, 1800, 3600, 7200}) {
      // Of a steady audience, those still watching t later: E[(X - t)+] / E[X] for the log-normal.
      double logNormal =
          (900 * phi((mu + sigma2 - Math.log(t)) / sigma) - t * phi((mu - Math.log(t)) / sigma))
              / 900;
      if (t <= 1800) {
        assertThat(twoPhases.stillWatching(t)).isCloseTo(logNormal, within(0.04));
      } else {
        // Past half an hour the long phase keeps more than a log-normal's tail: stickier, never
        // kinder to a policy whose viewers are stuck on a degraded region.
        assertThat(twoPhases.stillWatching(t)).isBetween(logNormal, logNormal + 0.1);
      }
    }
  }

  /** The standard normal's distribution function (erfc to 1.2e-7, Numerical Recipes' fit). */
  private static double phi(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double u = 1 / (1 + 0.5 * z);
    double[] c = {
      -1.26551223,
      1.00002368,
      0.37409196,
      0.09678418,
      -0.18628806,
      0.27886807,
      -1.13520398,
      1.48851587,
      -0.82215223,
      0.17087277
    };
    double poly = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      poly = poly * u + c[i];
    }
    double erfc = u * Math.exp(-z * z + poly);
    return x >= 0 ? 1 - erfc / 2 : erfc / 2;
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
