package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A known event is a prior: its capacity is in service before it starts, and when the audience does
 * not come (a match called off) Liffey pays for the pre-warm and the time the audience was given to
 * arrive, then sizes for what it sees: the whole event's length is not paid for nobody.
 */
class KnownEventSimulationTest {
  /** The trace's first row; the event starts 25 minutes later with a 20-minute pre-warm. */
  private static final Instant START = Instant.parse("2026-12-26T17:05:00Z");

  private static final String CONFIGURED =
      "start: 2026-12-26T17:30:00Z\n    durationMinutes: 130\n    expectedViewers: 85000\n"
          + "    prewarmMinutes: 20";

  private static final EdgeConfig WITH_EVENT =
      TestConfigs.variant(
          CONFIGURED,
          "start: 2026-12-26T17:30:00Z\n    durationMinutes: 130\n    expectedViewers: 62000\n"
              + "    prewarmMinutes: 20");

  /** The same event a month later: nothing of it is in this trace's window. */
  private static final EdgeConfig WITHOUT_EVENT =
      TestConfigs.variant(
          CONFIGURED,
          "start: 2027-01-26T17:30:00Z\n    durationMinutes: 130\n    expectedViewers: 62000\n"
              + "    prewarmMinutes: 20");

  /** Two hours of an evening's usual audience: the match never happens. */
  private static Trace flatEvening(EdgeConfig config) throws Exception {
    StringBuilder csv = new StringBuilder("t,kind,key,value\n");
    for (int t = 0; t <= 7_200; t += 60) {
      csv.append(t).append(",viewers,IE,4200\n");
      csv.append(t).append(",viewers,GB,1400\n");
      csv.append(t).append(",viewers,DE,200\n");
      csv.append(t).append(",streams,eu-west-1,12\n");
      csv.append(t).append(",streams,eu-west-2,8\n");
      csv.append(t).append(",streams,eu-central-1,4\n");
    }
    return new TraceParser(config).parse("called-off", new StringReader(csv.toString()));
  }

  private record Run(List<Integer> dublinRelays, double costUsd, double unserved) {}

  private static Run liffey(EdgeConfig config) throws Exception {
    Trace trace = flatEvening(config);
    Simulation sim = new Simulation(config, trace, START);
    Simulation.Prepared p =
        sim.prepare(() -> Policies.create("liffey", config, new TraceDemand(trace, START)));
    List<Integer> relays = new ArrayList<>();
    while (p.hasNext()) {
      p.tick();
      relays.add(
          p.cloud().fleets().stream()
              .filter(f -> f.id().equals(FleetId.relay("eu-west-1")))
              .mapToInt(FleetState::inService)
              .sum());
    }
    return new Run(relays, p.scorecard().costUsd(), p.scorecard().unservedViewerSeconds());
  }

  /** Dublin's relays in service {@code minutes} after the trace's start (10 s ticks). */
  private static int at(Run run, int minutes) {
    return run.dublinRelays().get(minutes * 6);
  }

  @Test
  void anEventThatNeverHappens_costsItsPrewarmAndTheArrivalTime_notItsLength() throws Exception {
    Run without = liffey(WITHOUT_EVENT);
    Run with = liffey(WITH_EVENT);

    // Dublin's share of 62,000 Irish viewers (200 of 255 weight) at 90% of 1,500 a relay: 36.
    assertThat(at(with, 25)).as("in service at the event's start").isGreaterThanOrEqualTo(36);
    assertThat(at(without, 25)).as("the evening's own size").isLessThan(10);
    // The prior yields over as long again as the pre-warm (to 45 minutes in); what was bought for
    // it then goes as the scale-in rules allow (a collapse is held as long as a relay's regain).
    assertThat(at(with, 60)).as("back to what is seen").isEqualTo(at(without, 60));
    assertThat(with.costUsd()).as("the pre-warm is paid for").isGreaterThan(without.costUsd());
    double dublinEventHour = 36 * 0.5080;
    assertThat(with.costUsd() - without.costUsd())
        .as("less than the event's Dublin relays alone over its 130 minutes")
        .isLessThan(dublinEventHour * 130 / 60);
    assertThat(with.unserved()).isZero();
    assertThat(without.unserved()).isZero();
  }
}
