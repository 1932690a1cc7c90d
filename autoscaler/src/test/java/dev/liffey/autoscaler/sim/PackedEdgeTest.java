package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.latency.LatencyModel;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated relays pack joins as the edge agent's {@code --pack-to --pack-below-ms} do. */
class PackedEdgeTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final LatencyModel MODEL = new LatencyModel(CONFIG.media().jitterMillis());

  private static SimulatedCloud cloud(String rows) throws Exception {
    Trace trace =
        new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
    return new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
  }

  @Test
  void aRelayIsPackedToWhereItsFarthestMarketsP95ReachesTheCalmBand_belowTheAgentsPackTo()
      throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,DE,1000\n600,viewers,DE,1000\n");
    int perRelay = CONFIG.region("eu-west-2").relay().viewersPerInstance();
    double target = cloud.packTarget("eu-west-2", 0);

    // London's farthest market is Germany, 21 ms away: at the target its p95 is the calm band's
    // 120 ms, which the agent's 1,350 (0.90 of 1,500) would pass.
    assertThat(target)
        .isLessThan(CONFIG.region("eu-west-2").relay().packTo(0.9))
        .isGreaterThan(0.8 * perRelay);
    assertThat(MODEL.at(21, target / perRelay).p95Millis())
        .isCloseTo(CONFIG.scaling().calmLatencyMillis(), within(0.5));
    // Dublin's farthest is Britain at 15 ms: its relays hold a little more.
    assertThat(cloud.packTarget("eu-west-1", 0)).isGreaterThan(target);
  }

  @Test
  void whileAnIncidentPutsEvenAnEmptyRelayPastTheCalmBand_theCountAlonePacks() throws Exception {
    SimulatedCloud cloud =
        cloud("0,viewers,GB,3000\n0,latency,eu-west-2,150\n600,viewers,GB,3000\n");
    // Every relay is past the band: the latency tells none apart, so the agent's --pack-to packs.
    assertThat(cloud.packTarget("eu-west-2", 150))
        .isEqualTo(CONFIG.region("eu-west-2").relay().packTo(0.9));

    cloud.startWith(Map.of(FleetId.relay("eu-west-2"), 10));
    cloud.step(Duration.ofSeconds(10));
    // 3,000 on ten relays of 1,500: 1,350, 1,350 and 300, the rest empty. The average viewer is on
    // a relay at 83%, not at the region's 20%.
    RegionStep london =
        cloud.lastSteps().stream().filter(s -> s.region().equals("eu-west-2")).findFirst().get();
    assertThat(london.latencyP95Millis())
        .isCloseTo(MODEL.at(8 + 150, 0.83).p95Millis(), within(0.5))
        .isGreaterThan(MODEL.at(8 + 150, 0.2).p95Millis() + 20);
  }
}
