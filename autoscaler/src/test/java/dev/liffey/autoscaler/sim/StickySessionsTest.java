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

/** The simulated edge holds viewers as a real one does: sticky sessions, full relays, dropped sessions. */
class StickySessionsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion IE_LONDON = new MarketRegion("IE", "eu-west-2");
  private static final Duration TICK = Duration.ofSeconds(10);

  private static SimulatedCloud cloud(String rows) throws Exception {
    Trace trace = new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
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
  void aWeightChangeSteersNewJoinsOnly_soViewersWatchingStayUntilTheirSessionsEnd() throws Exception {
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
    assertThat(viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON)).isCloseTo(10_000, within(1.0));
    assertThat(cloud.scorecard("x").unservedViewerSeconds()).isZero();
  }

  @Test
  void aFullRegionReportsTheViewersItHolds_andTheJoinsItRefusedBeside() throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,1000\n0,session,IE,600\n60,viewers,IE,30000\n600,viewers,IE,30000\n");
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
  void capacityRemovedUnderWatchingViewersDropsThem_andEachDropCostsARejoin() throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,8000\n600,viewers,IE,8000\n");
    cloud.startWith(Map.of(DUBLIN, 10, LONDON, 10));
    double watching = viewers(cloud, IE_DUBLIN);

    cloud.setCapacity(DUBLIN, 4, 10); // 6,000 of capacity under about 6,275 viewers
    cloud.step(TICK);

    Scorecard card = cloud.scorecard("x");
    // A tenth of a minute of sessions end first (15 minutes on average); the rest above 6,000 drop.
    double dropped = watching * Math.exp(-TICK.toSeconds() / (double) SimulatedCloud.DEFAULT_SESSION.toSeconds())
        - 6_000;
    assertThat(card.unservedByCause().get("dropped"))
        .isCloseTo(dropped * SimulatedCloud.REJOIN.toSeconds(), within(0.01 * dropped * 5));
    assertThat(viewers(cloud, IE_DUBLIN)).isCloseTo(6_000, within(1.0));
  }
}
