package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * A viewer reaches chat, wallet and game only through a relay: however far a surge is extrapolated,
 * a region's services are never planned for more viewers than its relays' ceiling holds.
 */
class ServicesWithinRelaysTest {
  private static final String LONDON = "eu-west-2";
  private static final FleetId RELAY = FleetId.relay(LONDON);
  private static final FleetId GAME = FleetId.service(LONDON, "game");

  @Test
  void aSpikeExtrapolatedPastTheRelaysCeilingAsksTheServicesOnlyForWhatTheRelaysHold() {
    Observations obs = new Observations();
    // London's relays: 100 at most, 1,500 viewers each; 30 in service hold the spike so far.
    obs.fleet(RELAY, 30, 30, 8);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    double viewers = 5_000;
    for (int i = 0; i <= 5; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.viewers("GB", LONDON, viewers);
      d = liffey.decide(obs.build());
      viewers *= 1.5; // +4%/s: a spike, extrapolated over the services' horizons
    }
    FleetPlan game = Plans.of(d, GAME);

    assertThat(game.reason()).contains("its relays hold at most 150,000");
    // 150,000 viewers at the target utilization (0.9) of 3,000 a replica: 56, under game's
    // ceiling of 80, which the spike's forecast alone would have asked for.
    assertThat(game.target()).isEqualTo(56);
  }
}
