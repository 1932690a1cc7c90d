package dev.liffey.edge.transcode;

import dev.liffey.edge.metrics.EdgePublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes what a transcoder holds to CloudWatch {@code Liffey/Edge}, once a period, at high
 * resolution, stamped with the period's start (as the relays do): {@code LiveStreams} {Region}, the
 * streams it carries plus those it refused for want of a slot in the period (demand no transcoder
 * carries, which the autoscaler must see to add GPUs), and {@code TranscoderSlotsUsed} {Region,
 * InstanceType}, the full-ladder slots its streams take on their ladders. Every transcoder of a
 * region writes the same series: a reader takes the Sum.
 */
public final class StreamPublisher {
  private static final Logger log = LoggerFactory.getLogger(StreamPublisher.class);

  private final CloudWatchClient cloudWatch;
  private final String region;
  private final String instanceType;
  private final IntSupplier live;
  private final Supplier<? extends java.util.Collection<String>> refused;
  private final DoubleSupplier slotsUsed;
  private final Duration period;

  /**
   * @param refused streams refused for want of a slot since the last call (taken, each once)
   */
  public StreamPublisher(
      CloudWatchClient cloudWatch,
      String region,
      String instanceType,
      IntSupplier live,
      Supplier<? extends java.util.Collection<String>> refused,
      DoubleSupplier slotsUsed,
      Duration period) {
    this.cloudWatch = cloudWatch;
    this.region = region;
    this.instanceType = instanceType;
    this.live = live;
    this.refused = refused;
    this.slotsUsed = slotsUsed;
    this.period = period;
  }

  /** Publishes one period; a failed call is logged and the next period publishes afresh. */
  public void publish(Instant now) {
    List<MetricDatum> data = data(EdgePublisher.periodStart(now, period));
    try {
      cloudWatch.putMetricData(b -> b.namespace(EdgePublisher.NAMESPACE).metricData(data));
    } catch (SdkException e) {
      log.warn(
          "[region={}] cannot publish stream metrics to CloudWatch: {}", region, e.getMessage());
    }
  }

  List<MetricDatum> data(Instant at) {
    double streams = live.getAsInt() + refused.get().size();
    return List.of(
        datum("LiveStreams", at, streams, List.of(dim("Region", region))),
        datum(
            "TranscoderSlotsUsed",
            at,
            slotsUsed.getAsDouble(),
            List.of(dim("Region", region), dim("InstanceType", instanceType))));
  }

  private static MetricDatum datum(String name, Instant at, double value, List<Dimension> dims) {
    return MetricDatum.builder()
        .metricName(name)
        .dimensions(dims)
        .timestamp(at)
        .unit(StandardUnit.COUNT)
        .storageResolution(1)
        .value(value)
        .build();
  }

  private static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }
}
