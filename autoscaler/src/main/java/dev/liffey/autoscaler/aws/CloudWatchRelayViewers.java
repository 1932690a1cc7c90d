package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.Clock;
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
 * {@code GetMetricData} call for up to 500 relays.
 */
public final class CloudWatchRelayViewers implements RelayViewers {
  /** A relay that has not reported for this long has no known count (its agent may be down). */
  static final Duration RECENT = Duration.ofMinutes(1);

  private final Function<String, CloudWatchClient> clients;
  private final Clock clock;

  public CloudWatchRelayViewers(Function<String, CloudWatchClient> clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Map<String, Double> viewers(String region, Collection<String> instanceIds) {
    Instant now = clock.now();
    List<String> ids = new ArrayList<>(instanceIds);
    Map<String, Double> out = new HashMap<>();
    for (int from = 0; from < ids.size(); from += CloudWatchMetricsSource.MAX_QUERIES) {
      List<MetricDataQuery> batch = new ArrayList<>();
      List<String> part =
          ids.subList(from, Math.min(ids.size(), from + CloudWatchMetricsSource.MAX_QUERIES));
      for (int i = 0; i < part.size(); i++) {
        String instance = part.get(i);
        batch.add(
            MetricDataQuery.builder()
                .id("r" + i)
                .metricStat(
                    s ->
                        s.metric(
                                m ->
                                    m.namespace(EdgeMetrics.NAMESPACE)
                                        .metricName(EdgeMetrics.CONCURRENT_VIEWERS)
                                        .dimensions(
                                            Dimension.builder()
                                                .name(EdgeMetrics.REGION)
                                                .value(region)
                                                .build(),
                                            Dimension.builder()
                                                .name(EdgeMetrics.INSTANCE_ID)
                                                .value(instance)
                                                .build()))
                            .period(CloudWatchMetricsSource.PERIOD_SECONDS)
                            .stat("Maximum"))
                .build());
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
                            .startTime(CloudWatchMetricsSource.periodStart(now.minus(RECENT)))
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
