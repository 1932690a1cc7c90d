package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.api.Test;

/**
 * Liffey hands a degraded region's viewers over when their players follow the relays' reconnect
 * event, as many as the edge counts following (ViewersFollowingReconnect): once the weights have
 * left the region, its relays go whatever viewers they hold, so those viewers rejoin where the
 * joins go instead of watching slowly for the rest of their sessions.
 */
class HandOverTest {
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");

  private static EdgeConfig following(double share) {
    return TestConfigs.variant(
        "      drainSeconds: 7200",
        "      drainSeconds: 7200\n      reconnectingPlayers: " + share);
  }

  /** Dublin's relays in service 40 minutes into its incident, and the run's scorecard. */
  private record Run(int dublinRelays, Scorecard card) {}

  private static Run run(EdgeConfig config, String policy) throws Exception {
    Trace trace = FamilySeeds.trace(config, "dublin-latency-long", 1);
    return run(FamilySeeds.prepared(config, trace, policy), policy);
  }

  private static Run run(Simulation.Prepared p, String policy) {
    // Dublin 226 ms slower from 15:25 for 68 min; 23,463 Irish viewers, 15-minute sessions.
    int dublin = -1;
    while (p.hasNext()) {
      p.tick();
      if (dublin < 0 && p.cloud().elapsedSeconds() >= 15 * 60 + 25 + 40 * 60) {
        dublin =
            p.cloud().fleets().stream()
                .filter(f -> f.id().equals(DUBLIN))
                .mapToInt(FleetState::inService)
                .findFirst()
                .orElseThrow();
      }
    }
    return new Run(dublin, p.cloud().scorecard(policy));
  }

  @Test
  void aDegradedRegionsViewersWhosePlayersFollow_moveWhereTheJoinsGo_slowLessAndBilledLess()
      throws Exception {
    Run ignoring = run(following(0), "liffey");
    Run following = run(following(1), "liffey");
    Run fixedRouting = run(following(1), "liffey-fixed-routing");

    int floor = TestConfigs.repository().region("eu-west-1").relay().sizing().minInstances();
    assertThat(following.dublinRelays()).isEqualTo(floor);
    assertThat(ignoring.dublinRelays()).isGreaterThan(floor);
    assertThat(following.card().slowViewerSeconds())
        .isLessThan(0.8 * ignoring.card().slowViewerSeconds());
    assertThat(following.card().costUsd()).isLessThan(ignoring.card().costUsd());
    // Moved onto room made for them: no join waits for a slot they took.
    assertThat(following.card().unservedViewerSeconds())
        .isLessThanOrEqualTo(fixedRouting.card().unservedViewerSeconds());
  }

  @Test
  void aRegionWhoseEdgeDoesNotSayWhoFollows_handsNobodyOver_whateverTheConfigSays()
      throws Exception {
    EdgeConfig config = following(1);
    Trace trace = FamilySeeds.trace(config, "dublin-latency-long", 1);
    ScalingPolicy liffey =
        Policies.create(
            "liffey",
            config,
            new TraceDemand(trace, Simulation.DEFAULT_START),
            BaselineRouting.FIXED);
    // The same world, every player following, but an edge that publishes no
    // ViewersFollowingReconnect: the share is measured, never assumed.
    ScalingPolicy unsaid =
        new ScalingPolicy() {
          @Override
          public String name() {
            return "liffey";
          }

          @Override
          public Decision decide(Observation o) {
            return liffey.decide(
                new Observation(
                    o.now(),
                    withoutFollowers(o.metrics()),
                    o.fleets(),
                    o.weights(),
                    o.control(),
                    o.unreadFleets()));
          }
        };
    Run told = run(config, "liffey");
    Run notTold =
        run(
            new Simulation(config, trace, Simulation.DEFAULT_START).prepare(() -> unsaid),
            "liffey");

    int floor = TestConfigs.repository().region("eu-west-1").relay().sizing().minInstances();
    assertThat(told.dublinRelays()).isEqualTo(floor);
    assertThat(notTold.dublinRelays()).isGreaterThan(floor);
    assertThat(notTold.card().slowViewerSeconds())
        .isGreaterThan(1.2 * told.card().slowViewerSeconds());
  }

  private static Metrics withoutFollowers(Metrics m) {
    return new Metrics(
        m.at(),
        m.viewers(),
        m.latencyP95Millis(),
        m.streams(),
        m.joinAttempts(),
        m.rejectedJoins(),
        m.unverifiedJoins(),
        m.rateLimitedJoins(),
        m.missing(),
        m.relaysReporting(),
        m.relaysHoldingViewers(),
        m.relaysSentMbps(),
        m.joinLatencyP95Millis());
  }

  @Test
  void withHalfThePlayersFollowing_theRegionsServicesServeThoseStillConnectedUntilTheyGo()
      throws Exception {
    Run ignoring = run(following(0), "liffey");
    Run half = run(following(0.5), "liffey");

    // The plan expects half of Dublin's viewers to leave as its relays go, a few a tick: its chat,
    // wallet and game replicas stay for those still connected meanwhile.
    assertThat(half.card().unservedServiceViewerSeconds())
        .isLessThanOrEqualTo(ignoring.card().unservedServiceViewerSeconds());
    assertThat(half.card().slowViewerSeconds()).isLessThan(ignoring.card().slowViewerSeconds());
    assertThat(half.card().unservedViewerSeconds()).isZero();
  }
}
