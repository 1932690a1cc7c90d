package dev.liffey.edge.metrics;

import dev.liffey.edge.viewers.Viewers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes what this relay holds to CloudWatch {@code Liffey/Edge}, once a period, at high
 * resolution: viewers watching per market (every relay of a region writes the same series, so a
 * reader takes the Sum) and, of them, those whose player follows the {@code reconnect} event
 * ({@code ViewersFollowingReconnect}, 0 with the events off), the relay's own total (with its
 * {@code InstanceId}, to choose which relay to remove), the viewers' RTCP round-trip times as
 * value/count arrays (so CloudWatch computes a percentile across relays; those of a relay taking
 * joins again as {@code JoinLatencyP95}), the period's join attempts and refusals where there were
 * any, and, on a relay that packs its joins, whether it holds any viewer while in service ({@code
 * RelaysHoldingViewers}, 1 or 0: summed, how many relays a scale-in should leave alone). Each datum
 * is stamped with the start of its period, so two relays' points of one period fall in one bucket
 * and one relay never lands two points in one.
 */
public final class EdgePublisher {
  public static final String NAMESPACE = "Liffey/Edge";

  /** CloudWatch takes at most this many distinct values in one datum's array. */
  static final int MAX_VALUES = 150;

  private static final int MAX_DATA_PER_CALL = 1000;
  private static final Logger log = LoggerFactory.getLogger(EdgePublisher.class);

  private final CloudWatchClient cloudWatch;
  private final String region;
  private final Optional<String> instanceId;
  private final Set<String> markets;
  private final Viewers viewers;
  private final Optional<Supplier<Set<String>>> followingReconnect;
  private final JoinCounts joins;
  private final Duration period;
  private final Optional<BooleanSupplier> packingAndDraining;
  private final BooleanSupplier takesJoins;

  /**
   * @param markets the markets this relay serves: their viewers are published even when zero
   * @param followingReconnect the ids of the viewers whose player subscribed to the {@code
   *     reconnect} event, so that the autoscaler measures how many a drain moves at once; empty
   *     when the relay offers no events ({@code --no-reconnect-on-drain}): nobody is asked, so 0
   * @param packingAndDraining present on a relay that packs its joins ({@code --pack-to}): whether
   *     it is draining; empty on one that spreads them, which does not say whether it holds
   *     viewers. Such a relay gets joins only once the fuller ones are at their target, so one that
   *     holds viewers empties as they leave, and the autoscaler leaves it in service; a draining
   *     one is no longer in service, and counts 0
   * @param takesJoins whether this relay is one the region's joins go to now (in service, not full
   *     and, on a packing edge, filled no further than the target unless every relay is): its
   *     viewers' round trips are then published as {@code JoinLatencyP95} too, what a viewer
   *     joining the region gets
   */
  public EdgePublisher(
      CloudWatchClient cloudWatch,
      String region,
      Optional<String> instanceId,
      Set<String> markets,
      Viewers viewers,
      Optional<Supplier<Set<String>>> followingReconnect,
      JoinCounts joins,
      Duration period,
      Optional<BooleanSupplier> packingAndDraining,
      BooleanSupplier takesJoins) {
    this.packingAndDraining = packingAndDraining;
    this.takesJoins = takesJoins;
    this.cloudWatch = cloudWatch;
    this.region = region;
    this.instanceId = instanceId;
    this.markets = Set.copyOf(markets);
    this.viewers = viewers;
    this.followingReconnect = followingReconnect;
    this.joins = joins;
    this.period = period;
  }

  /** Publishes one period; a failed call is logged and the next period publishes afresh. */
  public void publish(Instant now) {
    List<MetricDatum> data = data(periodStart(now, period));
    try {
      for (int from = 0; from < data.size(); from += MAX_DATA_PER_CALL) {
        List<MetricDatum> batch =
            data.subList(from, Math.min(data.size(), from + MAX_DATA_PER_CALL));
        cloudWatch.putMetricData(b -> b.namespace(NAMESPACE).metricData(batch));
      }
    } catch (SdkException e) {
      log.warn(
          "[region={}] cannot publish {} metrics to CloudWatch: {}",
          region,
          data.size(),
          e.getMessage());
    }
  }

  /** The start of the period {@code now} is in: every publisher of a series stamps the same. */
  public static Instant periodStart(Instant now, Duration period) {
    long s = period.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), s) * s);
  }

  List<MetricDatum> data(Instant at) {
    List<MetricDatum> out = new ArrayList<>();
    Map<String, Integer> watching = new TreeMap<>(viewers.watchingByMarket());
    markets.forEach(m -> watching.putIfAbsent(m, 0));
    watching.forEach(
        (market, n) ->
            out.add(
                datum("ConcurrentViewers", at, StandardUnit.COUNT, market, null)
                    .value((double) n)
                    .build()));
    // For the markets ConcurrentViewers has, so a reader always has both sides of the share.
    Set<String> following = followingReconnect.map(Supplier::get).orElse(Set.of());
    Map<String, Integer> followers = viewers.watchingByMarket(following::contains);
    watching
        .keySet()
        .forEach(
            market ->
                out.add(
                    datum("ViewersFollowingReconnect", at, StandardUnit.COUNT, market, null)
                        .value((double) followers.getOrDefault(market, 0))
                        .build()));
    instanceId.ifPresent(
        id ->
            out.add(
                datum(
                        "ConcurrentViewers",
                        at,
                        StandardUnit.COUNT,
                        dim("Region", region),
                        dim("InstanceId", id))
                    .value((double) watching.values().stream().mapToInt(Integer::intValue).sum())
                    .build()));
    boolean joining = takesJoins.getAsBoolean();
    viewers
        .rttsByMarket()
        .forEach(
            (market, rtts) -> {
              Histogram h = Histogram.of(rtts, MAX_VALUES);
              out.add(
                  datum("EdgeLatencyP95", at, StandardUnit.MILLISECONDS, market, null)
                      .values(h.values())
                      .counts(h.counts())
                      .build());
              if (joining) {
                out.add(
                    datum("JoinLatencyP95", at, StandardUnit.MILLISECONDS, market, null)
                        .values(h.values())
                        .counts(h.counts())
                        .build());
              }
            });
    packingAndDraining.ifPresent(
        draining ->
            out.add(
                datum("RelaysHoldingViewers", at, StandardUnit.COUNT, dim("Region", region))
                    .value(viewers.size() > 0 && !draining.getAsBoolean() ? 1.0 : 0.0)
                    .build()));
    JoinCounts.Period p = joins.takePeriod();
    p.attempts()
        .forEach(
            (market, n) ->
                out.add(
                    datum("JoinAttempts", at, StandardUnit.COUNT, market, null)
                        .value((double) n)
                        .build()));
    p.refused()
        .forEach(
            (market, byReason) ->
                byReason.forEach(
                    (reason, n) ->
                        out.add(
                            datum("RejectedJoins", at, StandardUnit.COUNT, market, reason)
                                .value((double) n)
                                .build())));
    return out;
  }

  private MetricDatum.Builder datum(
      String metric, Instant at, StandardUnit unit, String market, String reason) {
    List<Dimension> dims = new ArrayList<>(List.of(dim("Market", market), dim("Region", region)));
    if (reason != null) {
      dims.add(dim("Reason", reason));
    }
    return datum(metric, at, unit, dims.toArray(Dimension[]::new));
  }

  /** One high-resolution datum of {@code metric}, stamped {@code at}, with {@code dims}. */
  private static MetricDatum.Builder datum(
      String metric, Instant at, StandardUnit unit, Dimension... dims) {
    return MetricDatum.builder()
        .metricName(metric)
        .dimensions(dims)
        .timestamp(at)
        .unit(unit)
        .storageResolution(1);
  }

  private static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }
}
