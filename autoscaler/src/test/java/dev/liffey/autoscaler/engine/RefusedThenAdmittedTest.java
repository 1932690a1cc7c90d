package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * A viewer refused early in a period and admitted later in it is counted twice by the edge: among
 * the refused joins and among the viewers at the period's end. Where Dublin's viewers grew past the
 * room its relays had when the period began, the growth came through slots that arrived or freed
 * during it, and at most that many of the refused are still waiting.
 */
class RefusedThenAdmittedTest {
  private static final String DUBLIN = "eu-west-1";
  private static final FleetId RELAYS = FleetId.relay(DUBLIN);

  /** Tick {@code i}: Dublin's Irish viewers and refused joins as read, for the period before. */
  private static Decision tick(
      LiffeyPolicy liffey, Observations obs, int i, double dublin, double refused) {
    obs.atTick(i);
    obs.viewers("IE", DUBLIN, dublin);
    obs.viewers("IE", "eu-west-2", 1_000);
    obs.refused.put(new MarketRegion("IE", DUBLIN), refused);
    obs.relaysReporting.put(DUBLIN, (double) obs.fleets.get(RELAYS).inService());
    return liffey.decide(obs.build());
  }

  private static double irishSeen(Decision d) {
    return d.forecasts().get("IE").observedViewers();
  }

  /** Dublin's 4 relays full (6,000 viewers) for a minute, 2,000 more refused every period. */
  private static LiffeyPolicy aFullMinute(Observations obs) {
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    obs.fleet(RELAYS, 6, 4, 10);
    for (int i = 0; i <= 6; i++) {
      tick(liffey, obs, i, 6_000, 2_000);
    }
    return liffey;
  }

  @Test
  void whileNoSlotComes_theRefusedAreStillWaiting() {
    Observations obs = new Observations();
    LiffeyPolicy liffey = aFullMinute(obs);

    Decision still = tick(liffey, obs, 7, 6_000, 2_000);

    assertThat(irishSeen(still)).isCloseTo(9_000, within(1.0));
  }

  @Test
  void relaysArrivingMidPeriod_admitTheRefused_whoAreNotCountedTwice() {
    Observations obs = new Observations();
    LiffeyPolicy liffey = aFullMinute(obs);

    // Two relays came into service mid-period: the 2,000 refused early in it got in on them, and
    // the edge counted them both ways (8,000 watching, 2,000 refused).
    obs.fleet(RELAYS, 6, 6, 8);
    Decision caughtUp = tick(liffey, obs, 7, 8_000, 2_000);
    Decision next = tick(liffey, obs, 8, 8_000, 0);

    // Read as counted, 11,000 Irish, and a crowd growing 22% in 10 s.
    assertThat(irishSeen(caughtUp)).isCloseTo(9_000, within(1.0));
    assertThat(caughtUp.forecasts().get("IE").forecastViewers()).isLessThan(10_000);
    assertThat(irishSeen(next)).isCloseTo(9_000, within(1.0));
  }
}
