package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.PredictivePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** AWS predictive scaling (forecast and scale) with target tracking on the 10 s metric. */
class PredictivePolicyTest {
  private static final FleetId DUBLIN_RELAYS = FleetId.relay("eu-west-1");
  private static final Instant DAY_1 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant DAY_2 = DAY_1.plus(Duration.ofDays(1));
  private final Observations obs = new Observations();
  private final ScalingPolicy predictive = new PredictivePolicy(obs.config);

  /** 20,000 Dublin viewers from 20:00 to 21:00 UTC, 2,000 the rest of the day. */
  private static double dailyShape(Instant t) {
    // A sample taken at t describes the ten seconds before it.
    return t.minusSeconds(1).atZone(ZoneOffset.UTC).getHour() == 20 ? 20_000 : 2_000;
  }

  /**
   * Runs every 10 s from DAY_1 to {@code until}; instances boot at once. The relay plans, by time.
   */
  private Map<Instant, FleetPlan> run(Instant until, Function<Instant, Double> viewers) {
    Map<Instant, FleetPlan> plans = new LinkedHashMap<>();
    for (Instant t = DAY_1.plusSeconds(10); !t.isAfter(until); t = t.plusSeconds(10)) {
      obs.viewers("IE", "eu-west-1", viewers.apply(t));
      FleetPlan relays = Plans.of(predictive.decide(obs.at(t).build()), DUBLIN_RELAYS);
      obs.fleet(DUBLIN_RELAYS, relays.target(), relays.target(), 10);
      plans.put(t, relays);
    }
    return plans;
  }

  @Test
  void schedulesTheComingHoursCapacity300sAhead_fromADayOfTheSameShape() {
    Map<Instant, FleetPlan> plans =
        run(DAY_2.plus(Duration.ofHours(20)), PredictivePolicyTest::dailyShape);

    Instant buffer = DAY_2.plus(Duration.ofHours(20)).minusSeconds(300);
    assertThat(plans.get(buffer.minusSeconds(10)).target()).isEqualTo(4);
    assertThat(plans.get(buffer).reason())
        .isEqualTo(
            "scale out relay eu-west-1 4→15: predictive scaling, forecast"
                + " 20,000 for 20:00-21:00 UTC (that hour's mean over 1 day), scheduled 300s ahead (now 2,000 viewers)");
  }

  @Test
  void neverScalesInByItself_targetTrackingDoesOnceDemandFalls() {
    Map<Instant, FleetPlan> plans =
        run(DAY_2.plus(Duration.ofHours(23)), PredictivePolicyTest::dailyShape);

    // Scheduled at 20:55 for 21:00, the hour's forecast (2,000 viewers) is lower: nothing is
    // removed then.
    assertThat(plans.get(DAY_2.plus(Duration.ofHours(21)).minusSeconds(300)).target())
        .isEqualTo(15);
    assertThat(plans.values())
        .filteredOn(p -> p.target() < p.current())
        .isNotEmpty()
        .allMatch(p -> p.reason().contains(": target tracking, utilization"));
  }

  @Test
  void targetTrackingScalesInNoLowerThanTheHoursForecast() {
    // Day 2's 20:00 audience is a quarter of day 1's: target tracking would scale in, the forecast
    // holds.
    Map<Instant, FleetPlan> plans =
        run(
            DAY_2.plus(Duration.ofHours(21)),
            t -> t.isAfter(DAY_2) ? Math.min(5_000, dailyShape(t)) : dailyShape(t));

    Instant from = DAY_2.plus(Duration.ofHours(20)).minusSeconds(300);
    Instant to = DAY_2.plus(Duration.ofHours(21)).minusSeconds(310);
    assertThat(plans.entrySet())
        .filteredOn(e -> !e.getKey().isBefore(from) && !e.getKey().isAfter(to))
        .allMatch(e -> e.getValue().target() == 15);
    assertThat(plans.get(to).reason())
        .contains("< 81% for")
        .contains(", down to predictive's capacity for the hour");
  }

  @Test
  void withLessThan24HoursOfHistory_itIsTargetTrackingAlone_andSaysSo() {
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10);

    Map<Instant, FleetPlan> plans = run(DAY_1.plusSeconds(30), t -> 11_400.0);

    assertThat(plans.get(DAY_1.plusSeconds(30)).reason())
        .startsWith(
            "scale out relay eu-west-1 4→9: target tracking,"
                + " utilization 190% > 90% for 3 datapoints of 10s")
        .endsWith(
            "; predictive: 0.0 h of history, forecasts need" + " 24 h, so target tracking alone");
  }
}
