package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricSanityTest {
  private static final Instant AT = Instant.parse("2026-12-01T20:00:00Z");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private final MetricSanity sanity = MetricSanity.of(TestConfigs.repository());

  private static Sample at(double value) {
    return new Sample(value, AT);
  }

  private MetricSanity.Checked check(
      Map<MarketRegion, Sample> viewers,
      Map<MarketRegion, Sample> latency,
      Map<String, Sample> streams) {
    return sanity.check(new Metrics(AT, viewers, latency, streams, Set.of()));
  }

  @Test
  void plausibleValuesPassUntouched() {
    Metrics m =
        new Metrics(
            AT,
            Map.of(IE_DUBLIN, at(40_000)),
            Map.of(IE_DUBLIN, at(80)),
            Map.of("eu-west-1", at(12)),
            Set.of());

    MetricSanity.Checked c = sanity.check(m);

    assertThat(c.metrics()).isSameAs(m);
    assertThat(c.refused()).isEmpty();
  }

  @Test
  void negativeNanAndInfiniteValuesAreMissing_withTheSeriesNamed() {
    MetricSanity.Checked c =
        check(
            Map.of(IE_DUBLIN, at(-5)),
            Map.of(IE_DUBLIN, at(Double.NaN)),
            Map.of("eu-west-1", at(Double.POSITIVE_INFINITY)));

    assertThat(c.metrics().viewers()).isEmpty();
    assertThat(c.metrics().latencyP95Millis()).isEmpty();
    assertThat(c.metrics().streams()).isEmpty();
    assertThat(c.metrics().missing())
        .containsExactlyInAnyOrder(
            "viewers IE@eu-west-1", "edge latency p95 IE@eu-west-1", "streams eu-west-1");
    assertThat(c.refused())
        .containsExactlyInAnyOrder(
            "viewers IE@eu-west-1 = -5 is negative: treated as missing",
            "edge latency p95 IE@eu-west-1 = NaN is not a number: treated as missing",
            "streams eu-west-1 = Infinity is not a number: treated as missing");
  }

  @Test
  void aRelayReportingAMillionViewersIsRefused_becauseTheRegionCouldNeverServeThem() {
    // Dublin's relays at their largest carry maxInstances x viewersPerInstance; twice that is
    // impossible.
    MetricSanity.Checked c = check(Map.of(IE_DUBLIN, at(1_000_000_000)), Map.of(), Map.of());

    assertThat(c.metrics().viewers()).isEmpty();
    assertThat(c.refused())
        .singleElement()
        .asString()
        .startsWith("viewers IE@eu-west-1 = 1,000,000,000 is above ")
        .endsWith(", 2.0x what eu-west-1's relays carry at their largest: treated as missing");
  }

  @Test
  void aRoundTripLongerThanALiveSessionCanHaveIsRefused() {
    MetricSanity.Checked c = check(Map.of(), Map.of(IE_DUBLIN, at(45_000)), Map.of());

    assertThat(c.refused())
        .containsExactly(
            "edge latency p95 IE@eu-west-1 = 45,000 is above 30,000 ms, longer"
                + " than a live session's round trip can be: treated as missing");
  }
}
