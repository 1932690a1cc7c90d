package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.PredictivePolicy;
import dev.liffey.autoscaler.engine.policy.StepScalingPolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Only verified viewers are demand: joins refused for their token (bots) never scale anything. */
class BotAwareDemandTest {
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion IE_LONDON = new MarketRegion("IE", "eu-west-2");
  private static final Instant AT = Observations.T0;

  private static Sample at(double value) {
    return new Sample(value, AT);
  }

  @Test
  void demandIsTheViewersWatchingAndThoseRefusedByFullRelays_neverThoseRefusedForTheirToken() {
    Metrics m =
        new Metrics(
            AT,
            Map.of(IE_DUBLIN, at(6_000)),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, at(402_500)),
            Map.of(IE_DUBLIN, at(2_000)),
            Map.of(IE_DUBLIN, at(380_000)),
            Map.of(IE_DUBLIN, at(20_000)),
            Set.of(),
            Map.of(),
            Map.of());

    assertThat(m.demand(IE_DUBLIN)).isEqualTo(8_000);
    assertThat(m.refusedTokens(IE_DUBLIN)).isEqualTo(400_000);
    // 2,500 viewers tried: 500 admitted, 2,000 refused because the relays were full.
    assertThat(m.verifiedJoinAttempts(IE_DUBLIN)).isEqualTo(2_500);
    assertThat(m.demand(IE_LONDON)).isZero();
    assertThat(m.verifiedJoinAttempts(IE_LONDON)).isZero();
  }

  @Test
  void verifiedJoinAttemptsAreNeverNegative_whenTheCountsComeFromDifferentPeriods() {
    Metrics m =
        new Metrics(
            AT,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, at(1_000)),
            Map.of(),
            Map.of(IE_DUBLIN, at(1_200)),
            Map.of(),
            Set.of(),
            Map.of(),
            Map.of());

    assertThat(m.verifiedJoinAttempts(IE_DUBLIN)).isZero();
  }

  @Test
  void anEdgeThatReportsNoTokenRefusalsHasNone() {
    Metrics m =
        new Metrics(
            AT,
            Map.of(IE_DUBLIN, at(6_000)),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, at(700)),
            Map.of(IE_DUBLIN, at(500)),
            Set.of());

    assertThat(m.unverifiedJoins()).isEmpty();
    assertThat(m.rateLimitedJoins()).isEmpty();
    assertThat(m.verifiedJoinAttempts(IE_DUBLIN)).isEqualTo(700);
  }

  @Test
  void negativeOrNanTokenRefusalsAreRefusedAsMissing_likeEveryOtherSeries() {
    Metrics m =
        new Metrics(
            AT,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, at(-3)),
            Map.of(IE_LONDON, at(Double.NaN)),
            Set.of(),
            Map.of(),
            Map.of());

    MetricSanity.Checked c = MetricSanity.FINITE.check(m);

    assertThat(c.metrics().unverifiedJoins()).isEmpty();
    assertThat(c.metrics().rateLimitedJoins()).isEmpty();
    assertThat(c.refused())
        .containsExactlyInAnyOrder(
            "unverified joins IE@eu-west-1 = -3 is negative: treated as" + " missing",
            "rate-limited joins IE@eu-west-2 = NaN is not a number: treated as missing");
  }

  @Test
  void aSurgeOfJoinsRefusedForTheirTokenNeverScalesLiffeyOrAnyAwsBaselineOut() {
    List<Supplier<ScalingPolicy>> policies =
        List.of(
            () -> new LiffeyPolicy(new Observations().config),
            () -> new TargetTrackingPolicy(new Observations().config),
            () -> TargetTrackingPolicy.highResolution(new Observations().config),
            () -> new StepScalingPolicy(new Observations().config),
            () -> new PredictivePolicy(new Observations().config));
    for (Supplier<ScalingPolicy> make : policies) {
      ScalingPolicy plain = make.get();
      ScalingPolicy flooded = make.get();
      Observations obs =
          new Observations().viewers("IE", "eu-west-1", 4_000).viewers("IE", "eu-west-2", 1_100);
      for (int s = 0; s <= 600; s += 10) {
        Observation o = obs.at(Observations.T0.plusSeconds(s)).build();
        Decision without = plain.decide(o);
        // From the second minute on, 100 bots for every viewer, a few of them rate-limited.
        Decision with = flooded.decide(s < 60 ? o : withBots(o, 400_000, 100_000));

        assertThat(with.fleets()).as("%s at %d s", plain.name(), s).isEqualTo(without.fleets());
        assertThat(with.routing()).as("%s at %d s", plain.name(), s).isEqualTo(without.routing());
        assertThat(with.fleets())
            .as("%s at %d s", plain.name(), s)
            .noneMatch(p -> p.fleet().kind() == FleetKind.RELAY && p.target() > p.current());
      }
    }
  }

  /**
   * The observation with join attempts on Dublin and London that were all refused for their token.
   */
  private static Observation withBots(Observation o, double unverified, double rateLimited) {
    Metrics m = o.metrics();
    Map<MarketRegion, Sample> attempts =
        Map.of(
            IE_DUBLIN,
            new Sample(unverified + rateLimited, m.at()),
            IE_LONDON,
            new Sample(unverified + rateLimited, m.at()));
    Map<MarketRegion, Sample> refusedUnverified =
        Map.of(
            IE_DUBLIN, new Sample(unverified, m.at()), IE_LONDON, new Sample(unverified, m.at()));
    Map<MarketRegion, Sample> refusedRateLimited =
        Map.of(
            IE_DUBLIN, new Sample(rateLimited, m.at()), IE_LONDON, new Sample(rateLimited, m.at()));
    return new Observation(
        o.now(),
        new Metrics(
            m.at(),
            m.viewers(),
            m.latencyP95Millis(),
            m.streams(),
            attempts,
            Map.of(),
            refusedUnverified,
            refusedRateLimited,
            m.missing(),
            m.relaysReporting(),
            Map.of()),
        o.fleets(),
        o.weights(),
        o.control(),
        o.unreadFleets());
  }
}
