package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * On a packing edge a relay that holds viewers gets joins only once the fuller relays are at their
 * target, so its viewers leave as they would while it drained: taken out, it would cost the same
 * until the last of them left, and admit none of a crowd meanwhile. A scale-in takes only the
 * relays the edge says are empty; where the edge says nothing, it takes the emptiest as before.
 */
class RelaysHoldingViewersTest {
  private static final String DUBLIN = "eu-west-1";
  private static final FleetId RELAY = FleetId.relay(DUBLIN);

  /**
   * Ireland's 24,000 viewers on Dublin's 20 relays, 85% gone at once (an outage): the relay plan
   * ten minutes on, with {@code holding} relays said to hold viewers (negative: not said), that
   * count {@code ageSeconds} old at every tick (the viewer counts fresh).
   */
  private static FleetPlan afterTheExodus(int holding, long ageSeconds) {
    Observations obs = new Observations();
    obs.fleet(RELAY, 20, 20, 10);
    obs.holdingViewersAge = ageSeconds;
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    for (int i = 0; i <= 60; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.viewers("IE", DUBLIN, i < 6 ? 24_000 : 3_600);
      if (holding >= 0) {
        obs.holdingViewers.put(DUBLIN, (double) holding);
      }
      d = liffey.decide(obs.build());
      FleetPlan relays = plan(d);
      obs.fleet(RELAY, relays.target(), relays.target(), 10);
    }
    return plan(d);
  }

  private static FleetPlan plan(Decision d) {
    return Plans.of(d, RELAY);
  }

  @Test
  void relaysTheEdgeSaysHoldViewersStayInService_andTheReasonSaysWhy() {
    FleetPlan kept = afterTheExodus(17, 0);

    assertThat(kept.target()).isEqualTo(17);
    assertThat(kept.reason())
        .contains(
            "17 relays hold viewers (taken out, each would drain them, billed, until the last");
  }

  @Test
  void withoutTheEdgesWord_orWithAStaleOne_theScaleInGoesToWhatTheViewersNeed() {
    FleetPlan unsaid = afterTheExodus(-1, 0);
    FleetPlan stale = afterTheExodus(17, 120);

    assertThat(unsaid.target()).isLessThan(10);
    assertThat(stale.target()).isEqualTo(unsaid.target());
    assertThat(unsaid.reason()).doesNotContain("hold viewers");
  }

  @Test
  void emptyRelaysStillGo_whileTheOnesHoldingViewersStay() {
    assertThat(afterTheExodus(12, 0).target()).isEqualTo(12);
  }
}
