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
 * The simulated edge publishes what CloudWatch would give a reader, whatever the loop's tick: one
 * set of metrics a 10 s period, its join counts the distinct clients of the whole period.
 */
class MetricPeriodsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");

  /** 10,000 Irish viewers for an hour, sessions of 5 minutes: 333 join a period to replace them. */
  private static final String STEADY =
      "0,viewers,IE,10000\n0,session,IE,300\n3600,viewers,IE,10000\n";

  private static SimulatedCloud cloud(String rows, int dublin, int london) throws Exception {
    return cloud(rows, dublin, london, null);
  }

  /** Demand served in steps of at most {@code longestStep} (null: the default). */
  private static SimulatedCloud cloud(String rows, int dublin, int london, Duration longestStep)
      throws Exception {
    Trace trace =
        new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
    SimulatedCloud cloud = new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START, longestStep);
    cloud.startWith(Map.of(DUBLIN, dublin, LONDON, london));
    return cloud;
  }

  private static double attempts(Metrics m) {
    return m.joinAttempts().get(IE_DUBLIN).value();
  }

  @Test
  void aLoopTickingEvery5sReadsEachPeriodTwice_asFromCloudWatch() throws Exception {
    SimulatedCloud cloud = cloud(STEADY, 20, 20);
    cloud.step(Duration.ofSeconds(10));
    Metrics first = cloud.read();

    cloud.step(Duration.ofSeconds(5)); // half a period: nothing new is published
    assertThat(cloud.read()).isSameAs(first);

    cloud.step(Duration.ofSeconds(5));
    Metrics next = cloud.read();
    assertThat(next.at()).isEqualTo(first.at().plus(Metrics.PERIOD));
  }

  @Test
  void aPeriodsJoinsAreTheSameWhateverTheStep() throws Exception {
    SimulatedCloud tenSeconds = cloud(STEADY, 20, 20, Duration.ofSeconds(10));
    SimulatedCloud fiveSeconds = cloud(STEADY, 20, 20, Duration.ofSeconds(5));
    for (int period = 0; period < 12; period++) {
      tenSeconds.step(Duration.ofSeconds(10));
      fiveSeconds.step(Duration.ofSeconds(5));
      fiveSeconds.step(Duration.ofSeconds(5));
    }
    double perPeriod = attempts(tenSeconds.read());
    // Sessions of 5 minutes over 10,000 viewers, Dublin's share (200 of 255): about 261 a period.
    assertThat(perPeriod)
        .isCloseTo(10_000 * 200 / 255.0 * (1 - Math.exp(-10 / 300.0)), within(5.0));
    // Two steps' joins, not the last step's alone (which would read as half the turnover).
    assertThat(attempts(fiveSeconds.read())).isCloseTo(perPeriod, within(0.01 * perPeriod));
  }

  @Test
  void aViewerRefusedInBothHalvesOfAPeriodIsOneClientRefused() throws Exception {
    // 20,000 want to watch; Dublin's 4 relays and London's 3 hold 10,500 of them.
    String crowd = "0,viewers,IE,20000\n3600,viewers,IE,20000\n";
    SimulatedCloud tenSeconds = cloud(crowd, 4, 3, Duration.ofSeconds(10));
    SimulatedCloud fiveSeconds = cloud(crowd, 4, 3, Duration.ofSeconds(5));
    for (int period = 0; period < 6; period++) {
      tenSeconds.step(Duration.ofSeconds(10));
      fiveSeconds.step(Duration.ofSeconds(5));
      fiveSeconds.step(Duration.ofSeconds(5));
    }
    double waiting = tenSeconds.read().rejectedJoins().get(IE_DUBLIN).value();
    assertThat(waiting).isGreaterThan(5_000);
    Metrics m = fiveSeconds.read();
    assertThat(m.rejectedJoins().get(IE_DUBLIN).value()).isCloseTo(waiting, within(0.01 * waiting));
    assertThat(attempts(m)).isCloseTo(attempts(tenSeconds.read()), within(0.01 * waiting));
  }

  @Test
  void aStepThatCrossesAPeriodsEndIsServedInTwo_soThePeriodClosesOnTime() throws Exception {
    SimulatedCloud cloud = cloud(STEADY, 20, 20);
    Metrics start = cloud.read();

    cloud.step(Duration.ofSeconds(15)); // a 15 s tick: one period ends 5 s before it does
    Metrics first = cloud.read();
    assertThat(first.at()).isEqualTo(start.at().plus(Metrics.PERIOD));

    cloud.step(Duration.ofSeconds(15)); // [15 s, 30 s): the period [10 s, 20 s) ends, then the next
    Metrics second = cloud.read();
    assertThat(second.at()).isEqualTo(start.at().plus(Metrics.PERIOD.multipliedBy(3)));
    // A period's joins, not the 15 s step's.
    double perPeriod = 10_000 * 200 / 255.0 * (1 - Math.exp(-10 / 300.0));
    assertThat(attempts(second)).isCloseTo(perPeriod, within(0.02 * perPeriod));
  }
}
