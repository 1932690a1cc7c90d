package dev.liffey.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * AWS API calls per tick grow with regions, not fleets: per region one GetMetricData (500 queries a
 * call) and one DescribeAutoScalingGroups; one ListResourceRecordSets; four control-table queries
 * (floors, freezes, pins, last actions); writes only for what changes.
 */
class ApiCallsPerTickIT extends EmulatorTest {
  @TempDir Path dir;
  private final Map<String, Integer> calls = new TreeMap<>();
  private Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private AwsClients counting() {
    return new AwsClients(
        Optional.of(emulator.endpoint()),
        List.of(
            new ExecutionInterceptor() {
              @Override
              public void beforeExecution(
                  Context.BeforeExecution context, ExecutionAttributes attributes) {
                synchronized (calls) {
                  calls.merge(
                      attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                      1,
                      Integer::sum);
                }
              }
            }));
  }

  @Test
  void aSteadyTickReadsTwicePerRegionPlusTwo_andWritesNothing() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
    try (AwsClients counted = counting()) {
      ControlLoop loop =
          LiveControlLoop.create(edge.config, counted, new NoKubernetes(), () -> now, false);
      Map<String, Double> steady =
          Map.of(
              "IE@eu-west-1",
              3_000.0,
              "IE@eu-west-2",
              800.0,
              "GB@eu-west-2",
              3_000.0,
              "DE@eu-central-1",
              3_000.0);
      for (int i = 0; i < 3; i++) {
        now = now.plusSeconds(10);
        edge.publish(now.minusSeconds(5), steady, Map.of());
        calls.clear();
        loop.tick();
      }

      // 3 regions: 3 GetMetricData + 3 DescribeAutoScalingGroups + 1 ListResourceRecordSets + 1
      // Query
      // (everything on-call said and the last actions live in one partition of the control table).
      assertThat(calls)
          .isEqualTo(
              Map.of(
                  "GetMetricData",
                  3,
                  "DescribeAutoScalingGroups",
                  3,
                  "ListResourceRecordSets",
                  1,
                  "Query",
                  1));
    }
  }

  @Test
  void getMetricDataCarriesUpTo500QueriesACall() throws Exception {
    // 247 more markets served by Dublin: 7 x 249 + 1 = 1,744 series in eu-west-1 (viewers, latency,
    // the relays taking joins' latency, join attempts, and joins refused as full, unverified and
    // rate-limited per market; streams).
    String yaml = Files.readString(REPO_CONFIG);
    StringBuilder markets = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      String code = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
      if (List.of("IE", "GB", "DE").contains(code)) {
        continue;
      }
      markets
          .append("  - {code: ")
          .append(code)
          .append(", name: M")
          .append(i)
          .append(", servedBy: [{region: eu-west-1, baseLatencyMillis: 30}]}\n");
    }
    EdgeConfig big =
        new EdgeConfigLoader()
            .parse(
                "big.yaml",
                yaml.replace(
                    "\n# Irish viewers resolve", "\n" + markets + "\n# Irish viewers resolve"))
            .config();
    int dublinSeries =
        7
                * (int)
                    big.markets().stream()
                        .filter(
                            m ->
                                m.servedBy().stream()
                                    .anyMatch(s -> s.regionId().equals("eu-west-1")))
                        .count()
            + 1;

    try (AwsClients counted = counting()) {
      new CloudWatchMetricsSource(big, counted::cloudWatch, () -> now).read();
    }

    assertThat(dublinSeries).isGreaterThan(1500).isLessThanOrEqualTo(2000);
    // Dublin needs four calls; London and Frankfurt one each, where a naive poller makes one per
    // series.
    assertThat(calls).isEqualTo(Map.of("GetMetricData", 6));
  }
}
