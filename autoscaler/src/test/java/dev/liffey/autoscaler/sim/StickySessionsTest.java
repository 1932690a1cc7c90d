package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated edge holds viewers as a real one does: sticky sessions, full relays, dropped
 * sessions.
 */
class StickySessionsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion IE_LONDON = new MarketRegion("IE", "eu-west-2");
  private static final Duration TICK = Duration.ofSeconds(10);

  private static SimulatedCloud cloud(String rows) throws Exception {
    Trace trace =
        new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
    return new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
  }

  private static void run(SimulatedCloud cloud, Duration d) {
    for (long s = 0; s < d.toSeconds(); s += TICK.toSeconds()) {
      cloud.step(TICK);
    }
  }

  private static double viewers(SimulatedCloud cloud, MarketRegion key) {
    return cloud.read().viewers().get(key).value();
  }

  @Test
  void aWeightChangeSteersNewJoinsOnly_soViewersWatchingStayUntilTheirSessionsEnd()
      throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,10000\n3600,viewers,IE,10000\n");
    cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
    double dublinBefore = viewers(cloud, IE_DUBLIN);
    assertThat(dublinBefore).isCloseTo(10_000 * 200 / 255.0, within(1.0));

    cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
    run(cloud, Duration.ofMinutes(2)); // the weight takes effect after 60 s + the 60 s TTL
    double afterTwoMinutes = viewers(cloud, IE_DUBLIN);
    run(cloud, Duration.ofMinutes(15));

    // Nobody is moved by DNS: Dublin keeps its viewers until they leave (15 min on average).
    assertThat(afterTwoMinutes).isGreaterThan(0.95 * dublinBefore);
    assertThat(viewers(cloud, IE_DUBLIN)).isBetween(0.25 * dublinBefore, 0.45 * dublinBefore);
    assertThat(viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON))
        .isCloseTo(10_000, within(1.0));
    assertThat(cloud.scorecard("x").unservedViewerSeconds()).isZero();
  }

  @Test
  void aFullRegionReportsTheViewersItHolds_andTheJoinsItRefusedBeside() throws Exception {
    SimulatedCloud cloud =
        cloud("0,viewers,IE,1000\n0,session,IE,600\n60,viewers,IE,30000\n600,viewers,IE,30000\n");
    cloud.startWith(Map.of(DUBLIN, 4, LONDON, 3)); // 6,000 and 4,500 viewers of relay capacity

    run(cloud, Duration.ofMinutes(3));

    Metrics m = cloud.read();
    assertThat(m.viewers().get(IE_DUBLIN).value()).isCloseTo(6_000, within(1.0));
    assertThat(m.viewers().get(IE_LONDON).value()).isCloseTo(4_500, within(1.0));
    // Everyone refused is seen again: the edge's count of refused joins is the rest of the crowd.
    assertThat(m.demand(IE_DUBLIN) + m.demand(IE_LONDON)).isCloseTo(30_000, within(1.0));
    assertThat(m.rejectedJoins()).containsKeys(IE_DUBLIN, IE_LONDON);
    Scorecard card = cloud.scorecard("x");
    assertThat(card.unservedViewerSeconds()).isGreaterThan(19_000 * 100);
    assertThat(card.unservedByCause().get("dropped")).isZero();
  }

  @Test
  void aRelayTakenOutDrainsItsViewers_admitsNoOne_andGoesWhenEmpty_soTurnoverEmptiesItWithoutADrop()
      throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,8000\n900,viewers,IE,8000\n");
    cloud.startWith(Map.of(DUBLIN, 10, LONDON, 10));

    cloud.setCapacity(DUBLIN, 4, 10); // 6,000 slots in service under about 6,275 viewers
    cloud.step(TICK);
    assertThat(viewers(cloud, IE_DUBLIN))
        .isGreaterThan(6_000); // the draining relay still holds the rest
    run(
        cloud,
        Duration.ofMinutes(
            5)); // the drain timeout: sessions ended meanwhile, and new joins went elsewhere

    Scorecard card = cloud.scorecard("x");
    assertThat(card.unservedByCause().get("dropped")).isZero();
    assertThat(viewers(cloud, IE_DUBLIN)).isLessThanOrEqualTo(6_000);
  }

  @Test
  void viewersStillOnADrainingRelayAtItsTimeoutAreDropped_eachDropCostingARejoin()
      throws Exception {
    // Ten-hour sessions: nobody leaves during the drain.
    SimulatedCloud cloud = cloud("0,viewers,IE,8000\n0,session,IE,36000\n900,viewers,IE,8000\n");
    cloud.startWith(Map.of(DUBLIN, 10, LONDON, 10));
    double watching = viewers(cloud, IE_DUBLIN);

    cloud.setCapacity(DUBLIN, 4, 10);
    run(cloud, Duration.ofMinutes(5).plus(TICK));

    Scorecard card = cloud.scorecard("x");
    double left = watching * Math.exp(-Duration.ofMinutes(5).toSeconds() / 36_000.0) - 6_000;
    assertThat(card.unservedByCause().get("dropped"))
        .isCloseTo(
            left * SimulatedCloud.REJOIN.toSeconds(),
            within(0.02 * left * SimulatedCloud.REJOIN.toSeconds()));
    assertThat(viewers(cloud, IE_DUBLIN)).isCloseTo(6_000, within(1.0));
  }
}
