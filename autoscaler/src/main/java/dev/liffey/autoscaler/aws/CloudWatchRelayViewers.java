package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * {@link RelayViewers} from each relay's own {@code ConcurrentViewers} series (dimensions Region
 * and InstanceId, which only that relay publishes): its latest value within {@link #RECENT}, one
 * {@code GetMetricData} call for up to 500 relays. A relay whose agent has not reported is counted
 * by what EC2 measured it sending ({@code NetworkOut}, dimension InstanceId, its latest minute
 * within {@link #RECENT_TRAFFIC}) at the configured bitrate a viewer: a relay sending nothing holds
 * nobody, whether or not its agent can reach CloudWatch.
 */
public final class CloudWatchRelayViewers implements RelayViewers {
  /** A relay that has not reported for this long has no known count (its agent may be down). */
  static final Duration RECENT = Duration.ofMinutes(1);

  /**
   * EC2's minute of traffic is read up to this old: the minute itself, and the minute or two EC2
   * takes to publish it.
   */
  static final Duration RECENT_TRAFFIC = Duration.ofMinutes(3);

  private final Function<String, CloudWatchClient> clients;
  private final Clock clock;
  private final double viewerBitrateMbps;

  /** Agents' counts only: a relay whose agent has not reported has no count. */
  public CloudWatchRelayViewers(Function<String, CloudWatchClient> clients, Clock clock) {
    this(clients, clock, Double.NaN);
  }

  /**
   * @param viewerBitrateMbps what a viewer receives ({@code media.viewerBitrateMbps}): a relay
   *     whose agent has not reported is counted by its traffic at this rate a viewer
   */
  public CloudWatchRelayViewers(
      Function<String, CloudWatchClient> clients, Clock clock, double viewerBitrateMbps) {
    this.clients = clients;
    this.clock = clock;
    this.viewerBitrateMbps = viewerBitrateMbps;
  }

  @Override
  public Map<String, Double> viewers(String region, Collection<String> instanceIds) {
    Instant now = clock.now();
    Map<String, Double> out =
        latest(
            region,
            instanceIds,
            instance ->
                metric(
                    EdgeMetrics.NAMESPACE,
                    EdgeMetrics.CONCURRENT_VIEWERS,
                    CloudWatchMetricsSource.PERIOD_SECONDS,
                    "Maximum",
                    Dimension.builder().name(EdgeMetrics.REGION).value(region).build(),
                    Dimension.builder().name(EdgeMetrics.INSTANCE_ID).value(instance).build()),
            Metrics.periodStart(now.minus(RECENT)),
            now);
    List<String> silent = instanceIds.stream().filter(id -> !out.containsKey(id)).toList();
    if (silent.isEmpty() || Double.isNaN(viewerBitrateMbps)) {
      return out;
    }
    double bytesPerViewer = viewerBitrateMbps * 1e6 / 8 * CloudWatchMetricsSource.SENT_SECONDS;
    latest(
            region,
            silent,
            instance ->
                metric(
                    EdgeMetrics.EC2_NAMESPACE,
                    EdgeMetrics.NETWORK_OUT,
                    CloudWatchMetricsSource.SENT_SECONDS,
                    "Sum",
                    Dimension.builder().name(EdgeMetrics.INSTANCE_ID).value(instance).build()),
            Metrics.sentPeriodStart(now.minus(RECENT_TRAFFIC)),
            now)
        .forEach((instance, bytes) -> out.put(instance, bytes / bytesPerViewer));
    return out;
  }

  private static MetricDataQuery.Builder metric(
      String namespace, String name, int period, String stat, Dimension... dimensions) {
    return MetricDataQuery.builder()
        .metricStat(
            s ->
                s.metric(m -> m.namespace(namespace).metricName(name).dimensions(dimensions))
                    .period(period)
                    .stat(stat));
  }

  /** Each instance's newest datapoint of its query since {@code from}, batched. */
  private Map<String, Double> latest(
      String region,
      Collection<String> instanceIds,
      Function<String, MetricDataQuery.Builder> query,
      Instant from,
      Instant now) {
    List<String> ids = new ArrayList<>(instanceIds);
    Map<String, Double> out = new HashMap<>();
    for (int start = 0; start < ids.size(); start += CloudWatchMetricsSource.MAX_QUERIES) {
      List<MetricDataQuery> batch = new ArrayList<>();
      List<String> part =
          ids.subList(start, Math.min(ids.size(), start + CloudWatchMetricsSource.MAX_QUERIES));
      for (int i = 0; i < part.size(); i++) {
        batch.add(query.apply(part.get(i)).id("r" + i).build());
      }
      String token = null;
      do {
        String next = token;
        GetMetricDataResponse r =
            clients
                .apply(region)
                .getMetricData(
                    b ->
                        b.metricDataQueries(batch)
                            .startTime(from)
                            .endTime(now)
                            .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                            .nextToken(next));
        for (MetricDataResult result : r.metricDataResults()) {
          String instance = part.get(Integer.parseInt(result.id().substring(1)));
          if (!result.values().isEmpty()) {
            out.putIfAbsent(instance, result.values().get(0));
          }
        }
        token = r.nextToken();
      } while (token != null);
    }
    return out;
  }
}
