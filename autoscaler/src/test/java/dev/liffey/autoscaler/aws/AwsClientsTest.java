package dev.liffey.autoscaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.aws.AwsClients.Timeouts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwsClientsTest {
  /**
   * The standard strategy's most backoff before a second attempt (base delay 100 ms, full jitter).
   */
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  @Test
  void toolsAndTestsWaitAsEveryClientDidBeforeProfiles() {
    assertThat(Timeouts.DEFAULT)
        .isEqualTo(
            new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(20), 5));
  }

  @Test
  void onCallsConnectTriesAndTheirBackoffFitInOneCall_soDroppedSynsEndTheCallOnTime() {
    // A connect in progress is not cut short when the call's time is up: every try must fit.
    Timeouts t = Timeouts.ON_CALL;
    Duration worst =
        t.connect()
            .multipliedBy(t.maxAttempts())
            .plus(FIRST_BACKOFF.multipliedBy(t.maxAttempts() - 1));

    assertThat(worst).isLessThanOrEqualTo(t.call());
    assertThat(t.call())
        .isLessThan(Duration.ofMillis(1500)); // and JVM start-up fits with it under 2 s
  }

  @Test
  void
      theDaemonsCallsEndWithinHalfTheTickDeadline_connectsIncluded_soReadsAndAnActuationFitInATick() {
    for (Duration deadline :
        new Duration[] {Duration.ofMillis(800), Duration.ofSeconds(8), Duration.ofSeconds(60)}) {
      Timeouts t = Timeouts.forTick(deadline);

      assertThat(t.call().multipliedBy(2)).isLessThanOrEqualTo(deadline);
      assertThat(t.connect().multipliedBy(t.maxAttempts())).isLessThan(t.call());
      assertThat(t.maxAttempts()).isEqualTo(3);
    }
    assertThat(Timeouts.forTick(Duration.ofSeconds(8)))
        .isEqualTo(
            new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), 3));
  }

  @Test
  void timeoutsThatDoNotGrowFromConnectToCallAreRefused_namingThem() {
    assertThatThrownBy(
            () ->
                new Timeouts(
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeouts must grow from connect PT1S to attempt PT5S to call PT2S");
    assertThatThrownBy(
            () ->
                new Timeouts(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .hasMessage("maxAttempts must be 1 or more, got 0");
  }
}
