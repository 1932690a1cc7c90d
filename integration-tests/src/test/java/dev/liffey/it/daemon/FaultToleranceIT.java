package dev.liffey.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.Fence;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import dev.liffey.it.emulator.FaultProxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Throttling, 5xx, an unreadable region, Route 53 down and a malformed control row, injected
 * between the SDK and the emulator.
 */
class FaultToleranceIT extends EmulatorTest {
  @TempDir Path dir;
  private EmulatedEdge edge;
  private Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @BeforeEach
  void deploy() throws Exception {
    edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
  }

  private ControlLoop loop(AwsClients through) {
    return LiveControlLoop.create(edge.config, through, new NoKubernetes(), () -> now, false);
  }

  private Decision tick(ControlLoop loop, double irish) {
    return tick(loop, irish, 3_000);
  }

  private Decision tick(ControlLoop loop, double irish, double german) {
    now = now.plusSeconds(10);
    edge.publish(
        now.minusSeconds(5),
        Map.of(
            "IE@eu-west-1",
            irish * 200 / 255,
            "IE@eu-west-2",
            irish * 55 / 255,
            "GB@eu-west-2",
            8_000.0,
            "DE@eu-central-1",
            german),
        Map.of());
    return loop.tick();
  }

  @Test
  void throttlingAnd5xxOnEveryThirdCallAreRetried_andTheCrowdIsStillServed() throws Exception {
    try (FaultProxy proxy =
            new FaultProxy(
                emulator.endpoint(), (n, auth) -> n % 3 == 0 ? (n % 2 == 0 ? 429 : 503) : 0);
        AwsClients faulty = new AwsClients(Optional.of(proxy.endpoint()))) {
      ControlLoop loop = loop(faulty);
      tick(loop, 2_000);

      tick(loop, 20_000);

      assertThat(proxy.injected()).isGreaterThan(5);
      assertThat(edge.relayDesired("eu-west-1")).isGreaterThanOrEqualTo(12);
    }
  }

  @Test
  void callsThatTimeOutAreRetried_andTheCrowdIsStillServed() throws Exception {
    // Every fourth call stalls for 6 s, past the SDK's 5 s attempt timeout.
    try (FaultProxy proxy =
            new FaultProxy(emulator.endpoint(), (n, auth) -> n % 4 == 0 ? -6_000 : 0);
        AwsClients faulty = new AwsClients(Optional.of(proxy.endpoint()))) {
      ControlLoop loop = loop(faulty);
      tick(loop, 2_000);

      tick(loop, 20_000);

      assertThat(proxy.injected()).isGreaterThan(2);
      assertThat(edge.relayDesired("eu-west-1")).isGreaterThanOrEqualTo(12);
    }
  }

  @Test
  void aRegionWhoseMetricsCannotBeReadIsNeverScaledIn_whileTheOthersScaleInOnTheirOwnCounts()
      throws Exception {
    // Every CloudWatch call signed for eu-west-1 fails; everything else goes through.
    try (FaultProxy proxy =
            new FaultProxy(
                emulator.endpoint(),
                (n, auth) -> auth.contains("/eu-west-1/monitoring/") ? 503 : 0);
        AwsClients faulty = new AwsClients(Optional.of(proxy.endpoint()))) {
      ControlLoop healthy = loop(aws);
      tick(healthy, 40_000, 30_000);
      int dublinPeak = edge.relayDesired("eu-west-1");
      int londonPeak = edge.relayDesired("eu-west-2");
      int frankfurtPeak = edge.relayDesired("eu-central-1");
      assertThat(dublinPeak).isGreaterThan(20);
      assertThat(frankfurtPeak).isGreaterThan(20);

      ControlLoop blind = loop(faulty);
      Decision last = null;
      for (int i = 0; i < 40; i++) {
        last = tick(blind, 1_000, 1_000);
      }

      // Dublin's own series are unreadable: it holds. London serves IE and GB, whose other halves
      // are Dublin's, and scales in on its own counts, as Frankfurt does (until stop 54 London
      // held too: one region unread held every region sharing a market with it).
      assertThat(edge.relayDesired("eu-west-1")).isEqualTo(dublinPeak);
      assertThat(edge.relayDesired("eu-west-2")).isLessThan(londonPeak);
      assertThat(edge.relayDesired("eu-central-1")).isLessThan(frankfurtPeak);
      assertThat(last.fleets())
          .anySatisfy(
              p ->
                  assertThat(p.reason())
                      .startsWith(
                          "hold relay eu-west-1 at "
                              + dublinPeak
                              + ": no scale-in on missing viewers IE@eu-west-1"));
    }
  }

  @Test
  void withRoute53Down_relaysAreStillScaledEverywhere_andRoutingHolds() throws Exception {
    Map<String, Integer> weights = edge.weights();
    try (FaultProxy proxy =
            new FaultProxy(emulator.endpoint(), (n, auth) -> auth.contains("/route53/") ? 503 : 0);
        AwsClients faulty = new AwsClients(Optional.of(proxy.endpoint()))) {
      ControlLoop loop = loop(faulty);
      tick(loop, 2_000);

      now = now.plusSeconds(10);
      edge.publish(
          now.minusSeconds(5),
          Map.of(
              "IE@eu-west-1",
              20_000.0 * 200 / 255,
              "IE@eu-west-2",
              20_000.0 * 55 / 255,
              "GB@eu-west-2",
              8_000.0,
              "DE@eu-central-1",
              3_000.0),
          Map.of("IE@eu-west-1", 400.0));
      TickReport r = loop.tick(Fence.NONE);

      assertThat(edge.relayDesired("eu-west-1")).isGreaterThanOrEqualTo(12);
      assertThat(r.unread()).singleElement().asString().startsWith("routing weights: ");
      assertThat(r.routed()).isEmpty();
      assertThat(edge.weights()).isEqualTo(weights);
    }
  }

  @Test
  void aMalformedControlRowIsSkippedAndNamed_andTheTickStillActsOnTheRest() {
    DynamoDbControlStore store = DynamoDbControlStore.of(edge.config, aws);
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-2", "relay", 30, now.plusSeconds(3600), "final", "alice"),
        0);
    aws.dynamoDb(edge.config.primaryRegion())
        .putItem(
            b ->
                b.tableName(edge.config.control().tableName())
                    .item(
                        Map.of(
                            "pk",
                            AttributeValue.builder().s("control").build(),
                            "sk",
                            AttributeValue.builder().s("floor#eu-west-1").build())));
    ControlLoop loop = loop(aws);

    now = now.plusSeconds(10);
    edge.publish(
        now.minusSeconds(5),
        Map.of(
            "IE@eu-west-1",
            1_000.0,
            "IE@eu-west-2",
            300.0,
            "GB@eu-west-2",
            800.0,
            "DE@eu-central-1",
            500.0),
        Map.of());
    TickReport r = loop.tick(Fence.NONE);

    assertThat(edge.relayDesired("eu-west-2")).isEqualTo(30);
    assertThat(r.controlProblems())
        .containsExactly(
            "control row floor#eu-west-1 skipped: its key 'eu-west-1' should have 2 parts separated by '#'");
  }
}
