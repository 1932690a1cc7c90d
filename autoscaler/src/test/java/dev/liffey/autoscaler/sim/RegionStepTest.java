package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.latency.LatencyModel;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the simulated edge records per region and step for the report's charts. */
class RegionStepTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final Duration TICK = Duration.ofSeconds(10);

  private static SimulatedCloud cloud(String rows) throws Exception {
    Trace trace =
        new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
    return new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
  }

  private static final LatencyModel MODEL = new LatencyModel(7);

  private static RegionStep step(List<RegionStep> steps, String region) {
    return steps.stream().filter(s -> s.region().equals(region)).findFirst().orElseThrow();
  }

  @Test
  void aFullRegionRecordsTheViewersItRefusedAsUnserved_andItsViewersAtTheOverloadLatency()
      throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,1000\n60,viewers,IE,30000\n600,viewers,IE,30000\n");
    cloud.startWith(Map.of(DUBLIN, 4, LONDON, 3)); // 6,000 and 4,500 viewers of relay capacity
    for (int i = 0; i < 18; i++) {
      cloud.step(TICK);
    }

    RegionStep dublin = step(cloud.lastSteps(), "eu-west-1");
    assertThat(dublin.capacity()).isEqualTo(6_000);
    assertThat(dublin.servedViewers()).isCloseTo(6_000, within(1.0));
    assertThat(dublin.unservedViewers()).isPositive();
    assertThat(dublin.viewers())
        .isCloseTo(dublin.servedViewers() + dublin.unservedViewers(), within(1e-9));
    // Irish viewers reach Dublin in 9 ms, and a full relay adds its overload: 5% of them are
    // slower.
    assertThat(MODEL.at(9, 1.0).tail(dublin.latencyP95Millis())).isCloseTo(0.05, within(0.001));
    assertThat(dublin.latencyP95Millis()).isGreaterThan(400);
    assertThat(dublin.unservedViewers() + step(cloud.lastSteps(), "eu-west-2").unservedViewers())
        .isCloseTo(30_000 - 6_000 - 4_500, within(1.0));
  }

  @Test
  void theLatencyIsThe95thPercentileOfTheViewersServed_notOfTheMarkets() throws Exception {
    // London serves Britain at 8 ms and a quarter of Ireland's 1,000 at 17 ms: 1% of its viewers
    // are the slower. Every relay is past the pack target, so they hold alike.
    SimulatedCloud cloud =
        cloud("0,viewers,IE,1000\n0,viewers,GB,27000\n600,viewers,IE,1000\n600,viewers,GB,27000\n");
    cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
    cloud.step(TICK);

    RegionStep london = step(cloud.lastSteps(), "eu-west-2");
    assertThat(london.unservedViewers()).isZero();
    double utilization = london.servedViewers() / london.capacity();
    LatencyModel.Distribution britain = MODEL.at(8, utilization);
    LatencyModel.Distribution ireland = MODEL.at(17, utilization);
    double p95 = london.latencyP95Millis();
    double slower = (27_000 * britain.tail(p95) + 250 * ireland.tail(p95)) / 27_250;
    assertThat(slower).isCloseTo(0.05, within(0.001));
    assertThat(britain.tail(p95)).isLessThan(0.05); // the slower Irish quarter pushes it up
  }

  @Test
  void aRegionThatServedNoOneHasNoLatency() throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,1000\n600,viewers,IE,1000\n");
    cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
    cloud.step(TICK);

    RegionStep frankfurt = step(cloud.lastSteps(), "eu-central-1");
    assertThat(frankfurt.viewers()).isZero();
    assertThat(frankfurt.unservedViewers()).isZero();
    assertThat(frankfurt.latencyP95Millis()).isNaN();
  }
}
