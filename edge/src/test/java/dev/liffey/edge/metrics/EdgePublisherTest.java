package dev.liffey.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.viewers.Viewer;
import dev.liffey.edge.viewers.Viewers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** What one relay puts in CloudWatch each period, for the autoscaler to sum across relays. */
class EdgePublisherTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:07.300Z");
  private final Viewers viewers = new Viewers();
  private final JoinCounts joins = new JoinCounts();
  private final java.util.concurrent.atomic.AtomicBoolean takingJoins =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  /** The viewers whose players subscribed to the reconnect event, as SessionEvents says. */
  private final Set<String> following = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final EdgePublisher publisher = publisher(Optional.of(() -> Set.copyOf(following)));

  /** A spreading relay serving IE and GB, its followers of the reconnect event as given. */
  private EdgePublisher publisher(Optional<Supplier<Set<String>>> followers) {
    return new EdgePublisher(
        null,
        "eu-west-1",
        Optional.of("i-0abc"),
        Set.of("IE", "GB"),
        viewers,
        followers,
        joins,
        Duration.ofSeconds(10),
        Optional.empty(),
        takingJoins::get);
  }

  private void viewer(long session, String market, boolean watching, double rtt) {
    viewers.offered(
        new Viewer(
            "v" + session,
            market,
            "match",
            1,
            new JanusApi.Viewer(session, session + 1),
            NOW,
            false,
            OptionalDouble.empty()));
    if (watching) {
      viewers.watching("v" + session);
    }
    if (rtt > 0) {
      viewers.rtt(session, rtt);
    }
  }

  private static String dims(MetricDatum d) {
    return d.metricName()
        + d.dimensions().stream().map(Dimension::value).collect(Collectors.joining(",", "{", "}"));
  }

  private Map<String, MetricDatum> data() {
    return publisher.data(EdgePublisher.periodStart(NOW, Duration.ofSeconds(10))).stream()
        .collect(Collectors.toMap(EdgePublisherTest::dims, d -> d));
  }

  @Test
  void viewersWatchingAreCountedPerMarket_servedMarketsWithNoneAsZero_andTheRelaysOwnTotalApart() {
    viewer(1, "IE", true, 0);
    viewer(2, "IE", true, 0);
    viewer(3, "IE", false, 0); // offered, never answered yet: not watching

    Map<String, MetricDatum> data = data();

    assertThat(data.get("ConcurrentViewers{IE,eu-west-1}").value()).isEqualTo(2);
    assertThat(data.get("ConcurrentViewers{GB,eu-west-1}").value()).isZero();
    assertThat(data.get("ConcurrentViewers{eu-west-1,i-0abc}").value()).isEqualTo(2);
    assertThat(data.values())
        .allSatisfy(
            d -> {
              assertThat(d.timestamp()).isEqualTo(Instant.parse("2026-12-01T20:00:00Z"));
              assertThat(d.storageResolution()).isEqualTo(1);
            });
  }

  @Test
  void roundTripTimesGoAsValueAndCountArrays_soCloudWatchCanTakeAPercentileAcrossRelays() {
    viewer(1, "IE", true, 9.2);
    viewer(2, "IE", true, 8.8);
    viewer(3, "IE", true, 31);
    viewer(4, "GB", true, 0); // no RTCP report yet

    Map<String, MetricDatum> data = data();

    MetricDatum latency = data.get("EdgeLatencyP95{IE,eu-west-1}");
    assertThat(latency.values()).containsExactly(9.0, 31.0);
    assertThat(latency.counts()).containsExactly(2.0, 1.0);
    assertThat(data).doesNotContainKey("EdgeLatencyP95{GB,eu-west-1}");
  }

  @Test
  void aRelayTakingJoinsPublishesItsRoundTripsAsJoinLatencyToo_oneThatTakesNoneDoesNot() {
    viewer(1, "IE", true, 240); // stays on a relay filled past its target in a crowd
    viewer(2, "IE", true, 250);

    MetricDatum joining = data().get("JoinLatencyP95{IE,eu-west-1}");
    assertThat(joining.values()).containsExactly(240.0, 250.0);
    assertThat(joining.unit().toString()).isEqualTo("Milliseconds");

    takingJoins.set(false); // past the pack target: the region's joins go to other relays
    Map<String, MetricDatum> data = data();
    assertThat(data).doesNotContainKey("JoinLatencyP95{IE,eu-west-1}");
    assertThat(data.get("EdgeLatencyP95{IE,eu-west-1}").values()).containsExactly(240.0, 250.0);
  }

  @Test
  void aPeriodsJoinsAndRefusalsArePublishedOnce_byTheContractsReasons() {
    joins.attempt("IE", "viewer-1");
    joins.attempt("IE", "viewer-1"); // the same viewer again: one client
    joins.attempt("IE", "viewer-2");
    joins.refused("IE", "full", "viewer-2");
    joins.refused("unknown", "unverified", "203.0.113.9");

    Map<String, MetricDatum> first = data();
    Map<String, MetricDatum> next = data();

    assertThat(first.get("JoinAttempts{IE,eu-west-1}").value()).isEqualTo(2);
    assertThat(first.get("RejectedJoins{IE,eu-west-1,full}").value()).isEqualTo(1);
    assertThat(first.get("RejectedJoins{unknown,eu-west-1,unverified}").value()).isEqualTo(1);
    assertThat(next.keySet())
        .noneMatch(k -> k.startsWith("JoinAttempts") || k.startsWith("Rejected"));
  }

  @Test
  void moreDistinctLatenciesThanADatumTakes_areBucketedWiderRatherThanDropped() {
    List<Double> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      samples.add(5 + i * 0.5);
    }

    Histogram h = Histogram.of(samples, EdgePublisher.MAX_VALUES);

    assertThat(h.values()).hasSizeLessThanOrEqualTo(EdgePublisher.MAX_VALUES);
    assertThat(h.counts().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1_000);
    assertThat(h.values().get(0)).isLessThan(10);
    assertThat(h.values().get(h.values().size() - 1)).isGreaterThan(495);
  }

  @Test
  void aPackingRelaySaysWhetherItHoldsViewersWhileInService_aSpreadingOneSaysNothing() {
    java.util.concurrent.atomic.AtomicBoolean draining =
        new java.util.concurrent.atomic.AtomicBoolean();
    EdgePublisher packing =
        new EdgePublisher(
            null,
            "eu-west-1",
            Optional.of("i-0abc"),
            Set.of("IE"),
            viewers,
            Optional.empty(),
            joins,
            Duration.ofSeconds(10),
            Optional.of(draining::get),
            () -> true);
    Instant at = EdgePublisher.periodStart(NOW, Duration.ofSeconds(10));
    java.util.function.Supplier<MetricDatum> holding =
        () ->
            packing.data(at).stream()
                .filter(d -> d.metricName().equals("RelaysHoldingViewers"))
                .findFirst()
                .orElseThrow();

    assertThat(holding.get().value()).isZero(); // empty: a scale-in may take it
    assertThat(holding.get().dimensions())
        .extracting(Dimension::value)
        .containsExactly("eu-west-1");
    viewer(1, "IE", false, 0); // a viewer joining holds it as much as one watching
    assertThat(holding.get().value()).isEqualTo(1);
    draining.set(true); // out of service: no longer the autoscaler's to keep
    assertThat(holding.get().value()).isZero();
    // A relay that spreads its joins (the class's publisher) publishes no such count.
    assertThat(data().keySet()).noneMatch(k -> k.startsWith("RelaysHoldingViewers"));
  }

  @Test
  void
      viewersFollowingReconnectAreCountedPerMarketAmongThoseWatching_servedMarketsWithNoneAsZero() {
    viewer(1, "IE", true, 0);
    viewer(2, "IE", true, 0);
    viewer(3, "IE", true, 0); // subscribed to no reconnect
    viewer(4, "IE", false, 0); // subscribed while its offer is unanswered: not watching yet
    viewer(5, "GB", true, 0);
    following.addAll(Set.of("v1", "v2", "v4"));

    Map<String, MetricDatum> data = data();

    MetricDatum irish = data.get("ViewersFollowingReconnect{IE,eu-west-1}");
    assertThat(irish.value()).isEqualTo(2);
    assertThat(irish.unit()).isEqualTo(StandardUnit.COUNT);
    assertThat(irish.dimensions())
        .as("ConcurrentViewers's, so the share is of one series to the other")
        .isEqualTo(data.get("ConcurrentViewers{IE,eu-west-1}").dimensions())
        .extracting(Dimension::name)
        .containsExactly("Market", "Region");
    assertThat(irish.timestamp()).isEqualTo(Instant.parse("2026-12-01T20:00:00Z"));
    assertThat(irish.storageResolution()).isEqualTo(1);
    assertThat(data.get("ViewersFollowingReconnect{GB,eu-west-1}").value())
        .as("served, watched, followed by nobody: zero, not absent")
        .isZero();
  }

  @Test
  void withTheEventsOff_noViewerIsAskedToReconnect_soEveryServedMarketPublishesZero() {
    EdgePublisher eventsOff = publisher(Optional.empty());
    viewer(1, "IE", true, 0);
    following.add("v1"); // what the class's publisher, offering events, would count

    Map<String, Double> followingByKey =
        eventsOff.data(EdgePublisher.periodStart(NOW, Duration.ofSeconds(10))).stream()
            .filter(d -> d.metricName().equals("ViewersFollowingReconnect"))
            .collect(Collectors.toMap(EdgePublisherTest::dims, MetricDatum::value));

    assertThat(followingByKey)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ViewersFollowingReconnect{IE,eu-west-1}", 0.0,
                "ViewersFollowingReconnect{GB,eu-west-1}", 0.0));
    assertThat(data().get("ViewersFollowingReconnect{IE,eu-west-1}").value()).isEqualTo(1);
  }
}
