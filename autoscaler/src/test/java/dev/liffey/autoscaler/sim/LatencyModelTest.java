package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.latency.LatencyModel;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A viewer's edge latency is a distribution: base + penalty + an M/M/1 queue's wait + the network's
 * jitter.
 */
class LatencyModelTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final int SLO = CONFIG.scaling().latencySloMillis();
  private static final LatencyModel MODEL = new LatencyModel(CONFIG.media().jitterMillis());

  /**
   * GB's viewers all go to London (base 8 ms): {@code viewers} on {@code relays} relays, ten
   * minutes.
   */
  private static Scorecard londonFor10Minutes(int viewers, int relays) throws Exception {
    Trace trace =
        new TraceParser(CONFIG)
            .parse(
                "steady.csv",
                new StringReader(
                    "t,kind,key,value\n0,viewers,GB,"
                        + viewers
                        + "\n600,viewers,GB,"
                        + viewers
                        + "\n"));
    SimulatedCloud cloud = new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
    cloud.startWith(Map.of(FleetId.relay("eu-west-2"), relays));
    for (int i = 0; i < 60; i++) {
      cloud.step(Duration.ofSeconds(10));
    }
    return cloud.scorecard("none");
  }

  @Test
  void theWaitHasTheMm1Mean_andTheTailIntegratesToIt() {
    LatencyModel.Distribution d = MODEL.at(8, 0.9);

    // 4 ms x u/(1-u) = 36 ms of queueing at 90%, plus 7 ms of jitter on average.
    assertThat(d.meanMillis())
        .isCloseTo(8 + 36 + 7, within(0.01)); // the 400 ms cut takes 0.002 ms off
    assertThat(d.tail(7.99)).isEqualTo(1);
    // E[X] = fixed + the integral of P(X > x) above it, also where the 400 ms cut bites.
    for (double u : new double[] {0.3, 0.9, 0.98, 0.989}) {
      LatencyModel.Distribution at = MODEL.at(8, u);
      double integral = 0;
      for (double x = 8; x < 1_000; x += 0.01) {
        integral += at.tail(x + 0.005) * 0.01;
      }
      assertThat(8 + integral).as("u %s", u).isCloseTo(at.meanMillis(), within(0.01));
    }
  }

  @Test
  void whatTheEdgePublishesIsTheP95_theLatencyTheSlowestTwentiethHave_notTheMean()
      throws Exception {
    LatencyModel.Distribution d = MODEL.at(8, 0.9);
    assertThat(d.tail(d.p95Millis())).isCloseTo(0.05, within(5e-4));
    // At 90% a twentieth of London's viewers wait well over twice the mean.
    assertThat(d.p95Millis()).isGreaterThan(2 * d.meanMillis());

    // 12,150 GB viewers on 9 London relays (1,500 each): 90% utilization.
    Trace trace =
        new TraceParser(CONFIG)
            .parse(
                "steady.csv",
                new StringReader("t,kind,key,value\n0,viewers,GB,12150\n600,viewers,GB,12150\n"));
    SimulatedCloud cloud = new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
    cloud.startWith(Map.of(FleetId.relay("eu-west-2"), 9));
    cloud.step(Duration.ofSeconds(10));
    double published =
        cloud.read().latencyP95Millis().get(new MarketRegion("GB", "eu-west-2")).value();
    assertThat(published).isCloseTo(d.p95Millis(), within(0.5));
  }

  @Test
  void noPacketWaitsLongerThanAFullQueue_soAnOverloadedRelayIsTheSlowestOfAll() {
    LatencyModel.Distribution full = MODEL.at(8, 0.995);

    assertThat(full.tail(8 + 399.9)).isEqualTo(1); // every packet waits 400 ms
    for (double u = 0; u < 0.99; u += 0.01) {
      for (double x : new double[] {50, 150, 300, 408, 450, 600}) {
        assertThat(MODEL.at(8, u).tail(x))
            .as("u %s, %s ms", u, x)
            .isLessThanOrEqualTo(full.tail(x) + 1e-12)
            .isLessThanOrEqualTo(MODEL.at(8, Math.min(0.989, u + 0.01)).tail(x) + 1e-12);
      }
    }
  }

  @Test
  void
      relaysAt90Percent_leaveSomeViewersSlow_whereTheirMeanLatencyIsFarUnderTheSlo_andTheP95IsAboveTheMean()
          throws Exception {
    Scorecard card = londonFor10Minutes(13_500, 10); // 13,500 viewers on 15,000 slots

    double served = 13_500 * 600.0;
    assertThat(card.servedViewerSeconds()).isCloseTo(served, within(1e-3));
    // The old model's one latency, base + mean queueing (8 + 36 ms), was far under the SLO: nobody
    // slow.
    assertThat(8 + 36.0).isLessThan(SLO);
    // Now the queue's tail is: about 3% of viewer-seconds are over 150 ms.
    assertThat(card.slowViewerSeconds())
        .isCloseTo(served * MODEL.at(8, 0.9).tail(SLO), within(1.0))
        .isBetween(0.02 * served, 0.04 * served);
    assertThat(card.p95LatencyMillis())
        .isGreaterThan(MODEL.at(8, 0.9).meanMillis() + 50)
        .isLessThan(SLO);
    // 5% of the viewer-seconds are above the p95, and no more.
    assertThat(MODEL.at(8, 0.9).tail(card.p95LatencyMillis())).isBetween(0.045, 0.05);
  }

  @Test
  void viewersPackedOntoFewRelays_haveThoseRelaysLatency_notTheRegionsAverage_underTheCalmBand()
      throws Exception {
    // 5% of 30,000 slots, but packed: one relay at the pack target and one with the rest.
    Scorecard card = londonFor10Minutes(1_500, 20);

    // At 5% the p95 would be the jitter's alone (7 ms x ln 20 = 21 ms over the base); on the packed
    // relays the queue adds to it, short of the router's calm band (0.8 x 150 ms) that packing
    // stops
    // at, so hardly anyone is over the SLO.
    assertThat(card.p95LatencyMillis()).isGreaterThan(8.0 + 30).isLessThanOrEqualTo(120);
    assertThat(card.slowViewerSeconds()).isLessThan(1e-3 * card.servedViewerSeconds());
  }
}
