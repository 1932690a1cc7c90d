package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.EdgeMetrics;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.it.emulator.EdgeData;
import dev.liffey.it.emulator.EmulatorTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

class CloudWatchMetricsSourceIT extends EmulatorTest {
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private void publish(
      String region, String metric, String market, double value, Instant at, StandardUnit unit) {
    MetricDatum.Builder d =
        market == null
            ? EdgeData.datum(metric, at, EdgeMetrics.REGION, region)
            : EdgeData.datum(metric, at, EdgeMetrics.MARKET, market, EdgeMetrics.REGION, region);
    EdgeData.put(aws.cloudWatch(region), d.value(value).unit(unit).build());
  }

  @Test
  void readsTheLatestViewersLatencyAndStreams_perMarketAndRegion_andNamesWhatIsMissing() {
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        12_000,
        now.minusSeconds(40),
        StandardUnit.COUNT);
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        15_600,
        now.minusSeconds(10),
        StandardUnit.COUNT);
    publish(
        "eu-west-1",
        EdgeMetrics.EDGE_LATENCY_P95,
        "IE",
        31,
        now.minusSeconds(10),
        StandardUnit.MILLISECONDS);
    // Two transcoders of the region, each with its own streams, in one period.
    publish(
        "eu-west-1", EdgeMetrics.LIVE_STREAMS, null, 4, now.minusSeconds(10), StandardUnit.COUNT);
    publish(
        "eu-west-1", EdgeMetrics.LIVE_STREAMS, null, 6, now.minusSeconds(10), StandardUnit.COUNT);
    publish(
        "eu-west-2",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "GB",
        8_000,
        now.minusSeconds(10),
        StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    assertThat(m.viewers().get(new MarketRegion("IE", "eu-west-1")).value()).isEqualTo(15_600);
    // Stamped with the start of the 10 s period it fell in, as CloudWatch aligns them.
    assertThat(m.viewers().get(new MarketRegion("IE", "eu-west-1")).at())
        .isEqualTo(Instant.ofEpochSecond((now.getEpochSecond() - 10) / 10 * 10));
    assertThat(m.latencyP95Millis().get(new MarketRegion("IE", "eu-west-1")).value()).isEqualTo(31);
    assertThat(m.streams().get("eu-west-1").value()).as("summed over transcoders").isEqualTo(10);
    assertThat(m.viewers().get(new MarketRegion("GB", "eu-west-2")).value()).isEqualTo(8_000);
    assertThat(m.viewers()).doesNotContainKey(new MarketRegion("IE", "eu-west-2"));
    assertThat(m.missing())
        .contains("ConcurrentViewers IE@eu-west-2", "LiveStreams@eu-central-1")
        .doesNotContain("ConcurrentViewers IE@eu-west-1");
  }

  /** EC2's per-minute NetworkOut of a relay group, put where EC2 would publish it. */
  private void sent(String group, double bytes, Instant at) {
    aws.cloudWatch("eu-west-2")
        .putMetricData(
            b ->
                b.namespace(EdgeMetrics.EC2_NAMESPACE)
                    .metricData(
                        EdgeData.datum(
                                EdgeMetrics.NETWORK_OUT, at, EdgeMetrics.AUTO_SCALING_GROUP, group)
                            .storageResolution(60)
                            .value(bytes)
                            .unit(StandardUnit.BYTES)
                            .build()));
  }

  @Test
  void readsWhatTheRelayGroupSentAMinute_inMbitPerSecond_stampedAtTheMinutesEnd() {
    // The emulator measures no instance's traffic: the test puts what EC2 would. London's two
    // relays
    // sent 22.5 GB in the minute before last (3,000 Mbit/s: 1,200 viewers at 2.5); in the last
    // minute only one relay's datapoint is in yet, and the complete minute stands for it.
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    sent("Liffey-euw2-Relays", 15e9, minute.minusSeconds(115));
    sent("Liffey-euw2-Relays", 7.5e9, minute.minusSeconds(110));
    sent("Liffey-euw2-Relays", 15e9, minute.minusSeconds(55));
    sent("another-group", 99e9, minute.minusSeconds(55));

    Metrics m =
        new CloudWatchMetricsSource(
                config,
                aws::cloudWatch,
                () -> now,
                Runnable::run,
                region ->
                    region.equals("eu-west-2")
                        ? java.util.Optional.of("Liffey-euw2-Relays")
                        : java.util.Optional.empty())
            .read();

    assertThat(m.relaysSentMbps().get("eu-west-2").value()).isCloseTo(3_000, within(1e-6));
    assertThat(m.relaysSentMbps().get("eu-west-2").at()).isEqualTo(minute.minusSeconds(60));
    // Dublin's group not known yet (the groups not read): nothing asked, nothing missing.
    assertThat(m.relaysSentMbps()).doesNotContainKey("eu-west-1");
    assertThat(m.missing()).noneMatch(s -> s.startsWith(EdgeMetrics.NETWORK_OUT));
  }

  @Test
  void saysHowManyRelaysPublishedTheViewerCounts_oneDatapointPerRelayAPeriod() {
    // Three Dublin relays publish their Irish viewers in one period; one of them has none.
    for (double watching : new double[] {4_000, 2_500, 0}) {
      publish(
          "eu-west-1",
          EdgeMetrics.CONCURRENT_VIEWERS,
          "IE",
          watching,
          now.minusSeconds(10),
          StandardUnit.COUNT);
    }
    // London: two relays.
    for (double watching : new double[] {1_000, 900}) {
      publish(
          "eu-west-2",
          EdgeMetrics.CONCURRENT_VIEWERS,
          "IE",
          watching,
          now.minusSeconds(10),
          StandardUnit.COUNT);
    }

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    assertThat(m.viewers().get(new MarketRegion("IE", "eu-west-1")).value()).isEqualTo(6_500);
    assertThat(m.relaysReporting().get("eu-west-1").value()).isEqualTo(3);
    assertThat(m.relaysReporting().get("eu-west-2").value()).isEqualTo(2);
    // Frankfurt published nothing: its relays' count is unknown, and its viewers say so.
    assertThat(m.relaysReporting()).doesNotContainKey("eu-central-1");
    assertThat(m.missing()).noneMatch(s -> s.startsWith("relays publishing"));
  }

  @Test
  void countsThePackingRelaysInServiceThatHoldViewers_andASpreadingEdgesSilenceIsNotMissing() {
    // Dublin packs: each relay says 1 while in service with a viewer, else 0 (empty, or draining
    // its last ones), in one period.
    for (double holds : new double[] {1, 1, 0, 0}) {
      publish(
          "eu-west-1",
          EdgeMetrics.RELAYS_HOLDING_VIEWERS,
          null,
          holds,
          now.minusSeconds(10),
          StandardUnit.COUNT);
    }
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        4_000,
        now.minusSeconds(10),
        StandardUnit.COUNT);
    // London spreads its joins: its relays say nothing of it.
    publish(
        "eu-west-2",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        900,
        now.minusSeconds(10),
        StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    assertThat(m.relaysHoldingViewers().get("eu-west-1").value()).isEqualTo(2);
    assertThat(m.relaysHoldingViewers()).doesNotContainKey("eu-west-2");
    assertThat(m.missing()).noneMatch(s -> s.contains(EdgeMetrics.RELAYS_HOLDING_VIEWERS));
  }

  private void publishRejected(String reason, double value) {
    EdgeData.put(
        aws.cloudWatch("eu-west-1"),
        EdgeData.datum(
                EdgeMetrics.REJECTED_JOINS,
                now.minusSeconds(10),
                EdgeMetrics.MARKET,
                "IE",
                EdgeMetrics.REGION,
                "eu-west-1",
                EdgeMetrics.REASON,
                reason)
            .value(value)
            .unit(StandardUnit.COUNT)
            .build());
  }

  @Test
  void joinCountsFromEveryRelayAddUp_refusedOnesByReasonFull_andTheirAbsenceIsNotMissing() {
    // Two Dublin relays, one period: each publishes what it saw; CloudWatch sums them.
    for (double seen : new double[] {700, 500}) {
      publish(
          "eu-west-1",
          EdgeMetrics.JOIN_ATTEMPTS,
          "IE",
          seen,
          now.minusSeconds(10),
          StandardUnit.COUNT);
    }
    for (double full : new double[] {300, 200}) {
      publishRejected(EdgeMetrics.FULL, full);
    }
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        6_000,
        now.minusSeconds(10),
        StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    MarketRegion dublin = new MarketRegion("IE", "eu-west-1");
    assertThat(m.joinAttempts().get(dublin).value()).isEqualTo(1_200);
    assertThat(m.rejectedJoins().get(dublin).value()).isEqualTo(500);
    assertThat(m.demand(dublin)).isEqualTo(6_500);
    assertThat(m.rejectedJoins()).doesNotContainKey(new MarketRegion("GB", "eu-west-2"));
    assertThat(m.unverifiedJoins()).isEmpty();
    assertThat(m.rateLimitedJoins()).isEmpty();
    assertThat(m.missing())
        .noneMatch(s -> s.startsWith("JoinAttempts") || s.startsWith("RejectedJoins"));
  }

  @Test
  void
      joinsRefusedForTheirTokenAreReadByReason_apartFromThoseFullRelaysRefused_andAreNeverDemand() {
    // A bot flood on two Dublin relays: every bot is counted as a join attempt and refused as
    // unverified
    // (or rate-limited) before any slot is looked for; 400 real viewers found the relays full.
    for (double seen : new double[] {150_600, 150_000}) {
      publish(
          "eu-west-1",
          EdgeMetrics.JOIN_ATTEMPTS,
          "IE",
          seen,
          now.minusSeconds(10),
          StandardUnit.COUNT);
    }
    for (double bots : new double[] {140_000, 140_000}) {
      publishRejected(EdgeMetrics.UNVERIFIED, bots);
    }
    publishRejected(EdgeMetrics.RATE_LIMITED, 20_000);
    publishRejected(EdgeMetrics.FULL, 400);
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        6_000,
        now.minusSeconds(10),
        StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    MarketRegion dublin = new MarketRegion("IE", "eu-west-1");
    assertThat(m.unverifiedJoins().get(dublin).value()).isEqualTo(280_000);
    assertThat(m.rateLimitedJoins().get(dublin).value()).isEqualTo(20_000);
    assertThat(m.rejectedJoins().get(dublin).value()).isEqualTo(400);
    assertThat(m.demand(dublin)).isEqualTo(6_400);
    assertThat(m.verifiedJoinAttempts(dublin)).isEqualTo(600);
    assertThat(m.missing()).noneMatch(s -> s.startsWith("RejectedJoins"));
  }

  @Test
  void
      viewersOfEveryRelayInARegionAddUp_andAPeriodSomeRelaysHaveNotPublishedYetIsNotTakenForAFall() {
    Instant period = Instant.ofEpochSecond(now.getEpochSecond() / 10 * 10).minusSeconds(20);
    // Three Dublin relays publish their IE viewers for one period, and a relay's own total apart.
    for (double viewers : new double[] {1_200, 900, 400}) {
      publish(
          "eu-west-1", EdgeMetrics.CONCURRENT_VIEWERS, "IE", viewers, period, StandardUnit.COUNT);
    }
    cloudWatchPerInstance(period, 1_200);
    // In the next period only one relay has published so far.
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        1_250,
        period.plusSeconds(10),
        StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    assertThat(m.viewers().get(new MarketRegion("IE", "eu-west-1")))
        .isEqualTo(new dev.liffey.autoscaler.engine.Sample(2_500, period));

    // Once the others are in, the newer period stands.
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        950,
        period.plusSeconds(10),
        StandardUnit.COUNT);
    publish(
        "eu-west-1",
        EdgeMetrics.CONCURRENT_VIEWERS,
        "IE",
        450,
        period.plusSeconds(10),
        StandardUnit.COUNT);
    m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();
    assertThat(m.viewers().get(new MarketRegion("IE", "eu-west-1")).value()).isEqualTo(2_650);
  }

  /** A relay's own count carries its InstanceId: it must not leak into the region's sum. */
  private void cloudWatchPerInstance(Instant at, double value) {
    EdgeData.put(
        aws.cloudWatch("eu-west-1"),
        EdgeData.datum(
                EdgeMetrics.CONCURRENT_VIEWERS,
                at,
                EdgeMetrics.REGION,
                "eu-west-1",
                EdgeMetrics.INSTANCE_ID,
                "i-0123456789abcdef0")
            .value(value)
            .unit(StandardUnit.COUNT)
            .build());
  }

  @Test
  void latencyIsTheP95OfEveryRoundTripTheRelaysSent_notOneRelaysWorstViewer() {
    Instant period = Instant.ofEpochSecond(now.getEpochSecond() / 10 * 10).minusSeconds(20);
    // Relay A: 60 viewers at 8 ms, 30 at 9 ms. Relay B: 9 at 12 ms, one on a bad link at 250 ms.
    rtts(period, List.of(8.0, 9.0), List.of(60.0, 30.0));
    rtts(period, List.of(12.0, 250.0), List.of(9.0, 1.0));

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    assertThat(m.latencyP95Millis().get(new MarketRegion("IE", "eu-west-1")).value()).isEqualTo(12);
  }

  @Test
  void viewersFollowingReconnectAreSummedOverTheRelays_theirShareRead_andAbsenceIsNotMissing() {
    Instant period = Instant.ofEpochSecond(now.getEpochSecond() / 10 * 10).minusSeconds(10);
    // Dublin's two relays: 900 and 1,100 Irish viewers, of whom 300 and 700 subscribed to the
    // reconnect event. London publishes no such count (an agent from before it).
    for (double[] relay : new double[][] {{900, 300}, {1_100, 700}}) {
      publish(
          "eu-west-1", EdgeMetrics.CONCURRENT_VIEWERS, "IE", relay[0], period, StandardUnit.COUNT);
      publish(
          "eu-west-1", EdgeMetrics.FOLLOWING_RECONNECT, "IE", relay[1], period, StandardUnit.COUNT);
    }
    publish("eu-west-2", EdgeMetrics.CONCURRENT_VIEWERS, "IE", 800, period, StandardUnit.COUNT);

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    MarketRegion dublin = new MarketRegion("IE", "eu-west-1");
    MarketRegion london = new MarketRegion("IE", "eu-west-2");
    assertThat(m.followingReconnect().get(dublin).value()).isEqualTo(1_000);
    assertThat(m.followingShare(dublin, now, config.scaling().staleAfter())).isEqualTo(0.5);
    assertThat(m.followingReconnect()).doesNotContainKey(london);
    assertThat(m.followingShare(london, now, config.scaling().staleAfter())).isZero();
    assertThat(m.missing()).noneMatch(s -> s.startsWith(EdgeMetrics.FOLLOWING_RECONNECT));
  }

  @Test
  void joinLatencyIsTheP95OfTheRelaysTakingJoins_absentWhereNoneHoldsAViewer_andNotMissing() {
    Instant period = Instant.ofEpochSecond(now.getEpochSecond() / 10 * 10).minusSeconds(20);
    // Relay A, filled past its target in a crowd: 90 viewers at 240 ms. Relay B, taking the joins:
    // 40 viewers at 20 ms. Both publish every viewer's round trip; only B its joiners'.
    rtts(EdgeMetrics.EDGE_LATENCY_P95, period, List.of(240.0), List.of(90.0));
    rtts(EdgeMetrics.EDGE_LATENCY_P95, period, List.of(20.0), List.of(40.0));
    rtts(EdgeMetrics.JOIN_LATENCY_P95, period, List.of(20.0), List.of(40.0));

    Metrics m = new CloudWatchMetricsSource(config, aws::cloudWatch, () -> now).read();

    MarketRegion ie = new MarketRegion("IE", "eu-west-1");
    assertThat(m.latencyP95Millis().get(ie).value()).isEqualTo(240);
    assertThat(m.joinLatencyP95Millis().get(ie).value()).isEqualTo(20);
    assertThat(m.joinLatencyP95(ie, now, config.scaling().staleAfter()).value()).isEqualTo(20);
    MarketRegion ieLondon = new MarketRegion("IE", "eu-west-2");
    assertThat(m.joinLatencyP95Millis()).doesNotContainKey(ieLondon);
    assertThat(m.missing()).noneMatch(s -> s.startsWith(EdgeMetrics.JOIN_LATENCY_P95));
  }

  private void rtts(Instant at, List<Double> values, List<Double> counts) {
    rtts(EdgeMetrics.EDGE_LATENCY_P95, at, values, counts);
  }

  private void rtts(String metric, Instant at, List<Double> values, List<Double> counts) {
    EdgeData.put(
        aws.cloudWatch("eu-west-1"),
        EdgeData.datum(metric, at, EdgeMetrics.MARKET, "IE", EdgeMetrics.REGION, "eu-west-1")
            .values(values)
            .counts(counts)
            .unit(StandardUnit.MILLISECONDS)
            .build());
  }
}
