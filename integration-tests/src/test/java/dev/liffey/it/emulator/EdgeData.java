package dev.liffey.it.emulator;

import dev.liffey.autoscaler.aws.EdgeMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** Data of the edge's metrics contract as the relays and probes put it: high resolution. */
public final class EdgeData {
  private EdgeData() {}

  /**
   * @param dimensions names and values in turn: {@code "Market", "IE", "Region", "eu-west-1"}
   */
  public static MetricDatum.Builder datum(String metric, Instant at, String... dimensions) {
    List<Dimension> dims = new ArrayList<>();
    for (int i = 0; i < dimensions.length; i += 2) {
      dims.add(Dimension.builder().name(dimensions[i]).value(dimensions[i + 1]).build());
    }
    return MetricDatum.builder()
        .metricName(metric)
        .dimensions(dims)
        .timestamp(at)
        .storageResolution(1);
  }

  public static void put(CloudWatchClient cloudWatch, MetricDatum datum) {
    cloudWatch.putMetricData(b -> b.namespace(EdgeMetrics.NAMESPACE).metricData(datum));
  }
}
