package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The share of a region's viewers whose players follow the relays' reconnect event is what the edge
 * counted ({@code ViewersFollowingReconnect} over {@code ConcurrentViewers}): a handover takes
 * relays out on it, so a count that is missing, stale or impossible counts no one.
 */
class FollowingShareTest {
  private static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofSeconds(30);
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");

  private static Metrics metrics(
      Map<MarketRegion, Sample> viewers, Map<MarketRegion, Sample> following) {
    return new Metrics(
        NOW, viewers, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Set.of(),
        Map.of(), Map.of(), Map.of(), Map.of(), following);
  }

  private static double share(Metrics m) {
    return m.followingShare(IE_DUBLIN, NOW, STALE_AFTER);
  }

  @Test
  void theShareIsTheFollowersCountedOverTheViewersCounted() {
    assertThat(
            share(
                metrics(
                    Map.of(IE_DUBLIN, new Sample(20_000, NOW)),
                    Map.of(IE_DUBLIN, new Sample(5_000, NOW)))))
        .isEqualTo(0.25);
  }

  @Test
  void missingStaleOrEmptyCountsFollowNoOne_andMoreFollowersThanViewersIsAll() {
    Sample viewers = new Sample(20_000, NOW);
    assertThat(share(metrics(Map.of(IE_DUBLIN, viewers), Map.of()))).isZero();
    assertThat(share(metrics(Map.of(), Map.of(IE_DUBLIN, new Sample(5_000, NOW))))).isZero();
    assertThat(
            share(
                metrics(
                    Map.of(IE_DUBLIN, viewers),
                    Map.of(IE_DUBLIN, new Sample(5_000, NOW.minusSeconds(60))))))
        .isZero();
    assertThat(
            share(
                metrics(
                    Map.of(IE_DUBLIN, new Sample(0, NOW)), Map.of(IE_DUBLIN, new Sample(0, NOW)))))
        .isZero();
    // Relays publish each count at their own moment: a few followers more than viewers is all.
    assertThat(
            share(metrics(Map.of(IE_DUBLIN, viewers), Map.of(IE_DUBLIN, new Sample(20_040, NOW)))))
        .isEqualTo(1);
  }

  @Test
  void aNegativeCountIsRefusedAsMissing_andFollowsNoOne() {
    MetricSanity.Checked c =
        MetricSanity.of(TestConfigs.repository())
            .check(
                metrics(
                    Map.of(IE_DUBLIN, new Sample(20_000, NOW)),
                    Map.of(IE_DUBLIN, new Sample(-3, NOW))));

    assertThat(c.metrics().followingReconnect()).isEmpty();
    assertThat(c.metrics().missing()).contains("viewers following reconnect IE@eu-west-1");
    assertThat(c.refused())
        .containsExactly(
            "viewers following reconnect IE@eu-west-1 = -3 is negative: treated as missing");
    assertThat(share(c.metrics())).isZero();
  }

  @Test
  void theCountsAsTheEngineAdjustsThem_keepTheFollowers() {
    Metrics read =
        new Metrics(
            NOW,
            Map.of(IE_DUBLIN, new Sample(10_000, NOW)),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, new Sample(400, NOW)),
            Map.of(),
            Map.of(),
            Set.of(),
            Map.of("eu-west-1", new Sample(5, NOW)),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(IE_DUBLIN, new Sample(2_500, NOW)));

    // Half the relays silent: their viewers, and their followers, counted like the rest's.
    Metrics silent = read.withSilentRelaysLikeTheRest(region -> 10);
    assertThat(silent.viewers().get(IE_DUBLIN).value()).isEqualTo(20_000);
    assertThat(silent.followingReconnect().get(IE_DUBLIN).value()).isEqualTo(5_000);
    assertThat(share(silent)).isEqualTo(0.25);
    // Refused viewers admitted later in the period: the followers stay as counted.
    assertThat(share(read.withRefusedAdmittedLater(Map.of("eu-west-1", 100.0)))).isEqualTo(0.25);
  }
}
