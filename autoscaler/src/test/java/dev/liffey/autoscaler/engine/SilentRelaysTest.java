package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A region's counts from fewer relays than it has in service stand for every relay in it. */
class SilentRelaysTest {
  private static final Instant AT = Instant.parse("2026-12-01T20:00:00Z");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion IE_LONDON = new MarketRegion("IE", "eu-west-2");

  private static Sample at(double v) {
    return new Sample(v, AT);
  }

  private static Metrics read(double dublinReporting) {
    return new Metrics(
        AT,
        Map.of(IE_DUBLIN, at(6_000), IE_LONDON, at(3_000)),
        Map.of(IE_DUBLIN, at(90)),
        Map.of(),
        Map.of(IE_DUBLIN, at(40)),
        Map.of(IE_DUBLIN, at(10)),
        Map.of(IE_DUBLIN, at(2)),
        Map.of(),
        Set.of(),
        Map.of("eu-west-1", at(dublinReporting)),
        Map.of("eu-west-1", at(5)));
  }

  @Test
  void countsFromHalfTheRelays_areDoubled_whatWasCountedStaysAsRead() {
    Metrics seen =
        read(6).withSilentRelaysLikeTheRest(Map.of("eu-west-1", 12, "eu-west-2", 4)::get);

    assertThat(seen.viewers().get(IE_DUBLIN).value()).isCloseTo(12_000, within(1e-9));
    assertThat(seen.joinAttempts().get(IE_DUBLIN).value()).isCloseTo(80, within(1e-9));
    assertThat(seen.rejectedJoins().get(IE_DUBLIN).value()).isCloseTo(20, within(1e-9));
    assertThat(seen.unverifiedJoins().get(IE_DUBLIN).value()).isCloseTo(4, within(1e-9));
    assertThat(seen.relaysHoldingViewers().get("eu-west-1").value()).isCloseTo(10, within(1e-9));
    assertThat(seen.demandIn("eu-west-1")).isCloseTo(12_020, within(1e-9));
    // London published in full; latency is no count; the number of relays that published is kept
    // as read, for a scale-in to rest on.
    assertThat(seen.viewers().get(IE_LONDON).value()).isEqualTo(3_000);
    assertThat(seen.latencyP95Millis().get(IE_DUBLIN).value()).isEqualTo(90);
    assertThat(seen.relaysReporting().get("eu-west-1").value()).isEqualTo(6);
  }

  @Test
  void withEveryRelayCounted_orNoneAtAll_theMetricsAreAsRead() {
    Metrics all = read(12);
    assertThat(all.withSilentRelaysLikeTheRest(Map.of("eu-west-1", 12)::get)).isSameAs(all);
    // A draining relay publishes too: more reporting than in service is every one counted.
    Metrics more = read(13);
    assertThat(more.withSilentRelaysLikeTheRest(Map.of("eu-west-1", 12)::get)).isSameAs(more);
    // None published: nothing to scale from.
    Metrics none = read(0);
    assertThat(none.withSilentRelaysLikeTheRest(Map.of("eu-west-1", 12)::get)).isSameAs(none);
    // The relays not read this tick: nothing to scale to.
    Metrics unread = read(6);
    assertThat(unread.withSilentRelaysLikeTheRest(region -> null)).isSameAs(unread);
  }
}
