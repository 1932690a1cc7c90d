package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.MetricsSource;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * Reads the {@link EdgeMetrics} contract with {@code GetMetricData}: per region, every series of
 * the markets it serves and its streams, up to {@value #MAX_QUERIES} queries a call, the latest 10
 * s period of each within {@link #LOOKBACK}. Viewer and join counts are the Sum over the relays
 * that publish them, and how many relays published (the SampleCount of one market's viewers) says
 * whether that sum has them all; latency and streams the Maximum. Series with no datapoint are
 * reported missing; a region whose calls fail has all its series missing and does not stop the
 * others. Thread-safe.
 */
public final class CloudWatchMetricsSource implements MetricsSource {
  static final int MAX_QUERIES = 500;
  static final Duration LOOKBACK = Duration.ofMinutes(5);
  static final int PERIOD_SECONDS = 10;

  /** EC2's detailed monitoring period. */
  static final int SENT_SECONDS = (int) Metrics.SENT_PERIOD.toSeconds();

  private static final Logger log = LoggerFactory.getLogger(CloudWatchMetricsSource.class);

  private final EdgeConfig config;
  private final Function<String, CloudWatchClient> clients;
  private final Clock clock;
  private final Executor executor;
  private final Function<String, Optional<String>> relayGroups;

  public CloudWatchMetricsSource(
      EdgeConfig config, Function<String, CloudWatchClient> clients, Clock clock) {
    this(config, clients, clock, Runnable::run);
  }

  /**
   * @param executor reads the regions (in parallel, given more than one thread)
   */
  public CloudWatchMetricsSource(
      EdgeConfig config,
      Function<String, CloudWatchClient> clients,
      Clock clock,
      Executor executor) {
    this(config, clients, clock, executor, region -> Optional.empty());
  }

  /**
   * @param relayGroups each region's relay Auto Scaling group, where known: what its instances sent
   *     ({@link EdgeMetrics#NETWORK_OUT}) is read in the same call as the edge's series
   */
  public CloudWatchMetricsSource(
      EdgeConfig config,
      Function<String, CloudWatchClient> clients,
      Clock clock,
      Executor executor,
      Function<String, Optional<String>> relayGroups) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    this.executor = executor;
    this.relayGroups = relayGroups;
  }

  /**
   * The latest sample of every series, the regions read in parallel. A region whose calls fail has
   * its series missing, and {@link PartialRead} (carrying what was read) names it.
   */
  @Override
  public Metrics read() {
    Instant now = clock.now();
    Map<MarketRegion, Sample> viewers = new HashMap<>();
    Map<MarketRegion, Sample> latency = new HashMap<>();
    Map<MarketRegion, Sample> joinLatency = new HashMap<>();
    Map<MarketRegion, Sample> following = new HashMap<>();
    Map<String, Sample> streams = new HashMap<>();
    Set<String> missing = new TreeSet<>();
    Map<String, Map<String, Series>> queries = new HashMap<>();
    config.regionIds().forEach(r -> queries.put(r, queriesFor(r)));
    RegionReads.Results<Map<String, Sample>> r =
        RegionReads.each(
            config.regionIds(),
            region -> latest(clients.apply(region), queries.get(region), now),
            executor);
    List<String> problems = new ArrayList<>();
    r.failed()
        .forEach(
            (region, why) -> {
              log.warn(
                  "[region={}] cannot read metrics, treating its series as missing: {}",
                  region,
                  why);
              problems.add(region + ": " + why);
              queries.get(region).values().forEach(s -> missing.add(s.describe()));
            });
    Map<MarketRegion, Sample> attempts = new HashMap<>();
    Map<MarketRegion, Sample> rejected = new HashMap<>();
    Map<MarketRegion, Sample> unverified = new HashMap<>();
    Map<MarketRegion, Sample> rateLimited = new HashMap<>();
    Map<String, Sample> reporting = new HashMap<>();
    Map<String, Sample> holdingViewers = new HashMap<>();
    Map<String, Sample> sent = new HashMap<>();
    Map<String, Map<MarketRegion, Sample>> refusedBy =
        Map.of(
            EdgeMetrics.FULL,
            rejected,
            EdgeMetrics.UNVERIFIED,
            unverified,
            EdgeMetrics.RATE_LIMITED,
            rateLimited);
    r.read()
        .forEach(
            (region, latest) -> {
              for (Map.Entry<String, Series> e : queries.get(region).entrySet()) {
                Series s = e.getValue();
                Sample sample = latest.get(e.getKey());
                if (sample == null) {
                  if (s.required()) {
                    missing.add(s.describe());
                  }
                  continue;
                }
                if (s.counted()) {
                  reporting.put(s.region, sample);
                  continue;
                }
                if (s.sent()) {
                  // Bytes in a minute stamped with its start: Mbit/s, stamped with its end.
                  sent.put(
                      s.region,
                      new Sample(
                          sample.value() * 8 / SENT_SECONDS / 1e6,
                          sample.at().plusSeconds(SENT_SECONDS)));
                  continue;
                }
                MarketRegion key = new MarketRegion(s.market, s.region);
                switch (s.metric) {
                  case EdgeMetrics.CONCURRENT_VIEWERS -> viewers.put(key, sample);
                  case EdgeMetrics.EDGE_LATENCY_P95 -> latency.put(key, sample);
                  case EdgeMetrics.JOIN_LATENCY_P95 -> joinLatency.put(key, sample);
                  case EdgeMetrics.FOLLOWING_RECONNECT -> following.put(key, sample);
                  case EdgeMetrics.JOIN_ATTEMPTS -> attempts.put(key, sample);
                  case EdgeMetrics.REJECTED_JOINS -> refusedBy.get(s.reason).put(key, sample);
                  case EdgeMetrics.RELAYS_HOLDING_VIEWERS -> holdingViewers.put(s.region, sample);
                  default -> streams.put(s.region, sample);
                }
              }
            });
    Metrics m =
        new Metrics(
            now,
            Map.copyOf(viewers),
            Map.copyOf(latency),
            Map.copyOf(streams),
            Map.copyOf(attempts),
            Map.copyOf(rejected),
            Map.copyOf(unverified),
            Map.copyOf(rateLimited),
            Set.copyOf(missing),
            Map.copyOf(reporting),
            Map.copyOf(holdingViewers),
            Map.copyOf(sent),
            Map.copyOf(joinLatency),
            Map.copyOf(following));
    if (!problems.isEmpty()) {
      throw new PartialRead(m, problems);
    }
    return m;
  }

  /**
   * Every series Liffey reads in a region, by query id. Refused joins are read by reason, so that
   * those refused for their token (bots) are kept apart from those the full relays refused
   * (demand).
   */
  Map<String, Series> queriesFor(String region) {
    Map<String, Series> out = new LinkedHashMap<>();
    String first = null;
    for (Market m : config.markets()) {
      if (m.servedBy().stream().anyMatch(s -> s.regionId().equals(region))) {
        first = first == null ? m.code() : first;
        out.put("q" + out.size(), new Series(EdgeMetrics.CONCURRENT_VIEWERS, m.code(), region));
        out.put("q" + out.size(), new Series(EdgeMetrics.EDGE_LATENCY_P95, m.code(), region));
        out.put("q" + out.size(), new Series(EdgeMetrics.JOIN_LATENCY_P95, m.code(), region));
        out.put("q" + out.size(), new Series(EdgeMetrics.JOIN_ATTEMPTS, m.code(), region));
        out.put("q" + out.size(), new Series(EdgeMetrics.FOLLOWING_RECONNECT, m.code(), region));
        for (String reason :
            List.of(EdgeMetrics.FULL, EdgeMetrics.UNVERIFIED, EdgeMetrics.RATE_LIMITED)) {
          out.put(
              "q" + out.size(), new Series(EdgeMetrics.REJECTED_JOINS, m.code(), region, reason));
        }
      }
    }
    out.put("q" + out.size(), new Series(EdgeMetrics.LIVE_STREAMS, null, region));
    if (first != null) {
      // Every relay publishes every market its region serves: one market's count is every relay's.
      out.put("q" + out.size(), Series.relaysReporting(first, region));
    }
    out.put("q" + out.size(), new Series(EdgeMetrics.RELAYS_HOLDING_VIEWERS, null, region));
    relayGroups
        .apply(region)
        .ifPresent(group -> out.put("q" + out.size(), Series.relaysSent(region, group)));
    return out;
  }

  private static Map<String, Sample> latest(
      CloudWatchClient cw, Map<String, Series> queries, Instant now) {
    Map<String, List<Sample>> newest = new HashMap<>();
    List<String> ids = new ArrayList<>(queries.keySet());
    for (int from = 0; from < ids.size(); from += MAX_QUERIES) {
      List<MetricDataQuery> batch = new ArrayList<>();
      for (String id : ids.subList(from, Math.min(ids.size(), from + MAX_QUERIES))) {
        batch.add(queries.get(id).query(id));
      }
      String token = null;
      do {
        GetMetricDataResponse r =
            cw.getMetricData(
                GetMetricDataRequest.builder()
                    .metricDataQueries(batch)
                    // From a whole minute: both the 10 s periods and the minute ones (what the
                    // relays sent) then start where CloudWatch aligns them.
                    .startTime(Metrics.sentPeriodStart(now.minus(LOOKBACK)))
                    .endTime(now)
                    .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                    .nextToken(token)
                    .build());
        for (MetricDataResult result : r.metricDataResults()) {
          List<Sample> two = newest.computeIfAbsent(result.id(), k -> new ArrayList<>());
          for (int i = 0; i < result.values().size() && two.size() < 2; i++) {
            two.add(new Sample(result.values().get(i), result.timestamps().get(i)));
          }
        }
        token = r.nextToken();
      } while (token != null);
    }
    Map<String, Sample> out = new HashMap<>();
    newest.forEach(
        (id, two) -> {
          if (!two.isEmpty()) {
            Series s = queries.get(id);
            out.put(id, s.summed() ? settled(two, s.period()) : two.get(0));
          }
        });
    return out;
  }

  /**
   * A summed series' newest period may still lack relays that publish later in it: the larger of it
   * and the period just before stands for the period (a falling count is read one period late,
   * which errs towards capacity).
   */
  private static Sample settled(List<Sample> newestFirst, int periodSeconds) {
    Sample newest = newestFirst.get(0);
    if (newestFirst.size() < 2) {
      return newest;
    }
    Sample before = newestFirst.get(1);
    boolean adjacent =
        Duration.between(before.at(), newest.at()).equals(Duration.ofSeconds(periodSeconds));
    return adjacent && before.value() > newest.value() ? before : newest;
  }

  /**
   * One metric series of the contract; {@code reason} only for {@code RejectedJoins}; {@code
   * counted}: how many datapoints the series has in the period (its SampleCount), not their values:
   * for a market's viewers, how many relays published.
   */
  record Series(
      String metric, String market, String region, String reason, boolean counted, String group) {
    Series(String metric, String market, String region) {
      this(metric, market, region, null, false, null);
    }

    Series(String metric, String market, String region, String reason) {
      this(metric, market, region, reason, false, null);
    }

    /** What the instances of {@code region}'s relay group {@code group} sent, as EC2 measured. */
    static Series relaysSent(String region, String group) {
      return new Series(EdgeMetrics.NETWORK_OUT, null, region, null, false, group);
    }

    boolean sent() {
      return group != null;
    }

    int period() {
      return sent() ? SENT_SECONDS : PERIOD_SECONDS;
    }

    /**
     * How many of {@code region}'s relays published their viewers of {@code market}: every relay
     * publishes each market it serves, zero included, so this is how many relays reported.
     */
    static Series relaysReporting(String market, String region) {
      return new Series(EdgeMetrics.CONCURRENT_VIEWERS, market, region, null, true, null);
    }

    /**
     * Every relay (every transcoder, for live streams) of a region publishes its own count into
     * these series: CloudWatch adds them up.
     */
    boolean summed() {
      return !latency()
          && (metric.equals(EdgeMetrics.CONCURRENT_VIEWERS)
              || metric.equals(EdgeMetrics.LIVE_STREAMS)
              || sent()
              || !required());
    }

    /**
     * Sum for counts many relays publish; the 95th percentile of every round-trip time the relays
     * sent (as value arrays) and the probes measured in the period; Maximum for the rest.
     */
    String stat() {
      if (counted) {
        return "SampleCount";
      }
      if (latency()) {
        return "p95";
      }
      return summed() ? "Sum" : "Maximum";
    }

    private boolean latency() {
      return metric.equals(EdgeMetrics.EDGE_LATENCY_P95)
          || metric.equals(EdgeMetrics.JOIN_LATENCY_P95);
    }

    /**
     * Join counts are published only where someone joined: their absence is none, not missing. How
     * many relays reported is absent exactly when the viewers are, which say so already. Which
     * relays hold viewers only a packing edge says: absent, a scale-in takes the emptiest. What the
     * relays sent only stands in for counts that are missing, which say so already. The latency of
     * the relays taking joins is absent where none holds a viewer; the router then reads every
     * viewer's. Absent followers of the reconnect event are an edge that does not say: nobody is
     * handed over.
     */
    boolean required() {
      return !counted
          && !sent()
          && !metric.equals(EdgeMetrics.JOIN_ATTEMPTS)
          && !metric.equals(EdgeMetrics.REJECTED_JOINS)
          && !metric.equals(EdgeMetrics.RELAYS_HOLDING_VIEWERS)
          && !metric.equals(EdgeMetrics.JOIN_LATENCY_P95)
          && !metric.equals(EdgeMetrics.FOLLOWING_RECONNECT);
    }

    MetricDataQuery query(String id) {
      if (sent()) {
        return query(
            id,
            EdgeMetrics.EC2_NAMESPACE,
            List.of(Dimension.builder().name(EdgeMetrics.AUTO_SCALING_GROUP).value(group).build()),
            SENT_SECONDS);
      }
      List<Dimension> dims = new ArrayList<>();
      if (market != null) {
        dims.add(Dimension.builder().name(EdgeMetrics.MARKET).value(market).build());
      }
      dims.add(Dimension.builder().name(EdgeMetrics.REGION).value(region).build());
      if (metric.equals(EdgeMetrics.REJECTED_JOINS)) {
        dims.add(Dimension.builder().name(EdgeMetrics.REASON).value(reason).build());
      }
      return query(id, EdgeMetrics.NAMESPACE, dims, PERIOD_SECONDS);
    }

    private MetricDataQuery query(
        String id, String namespace, List<Dimension> dims, int periodSeconds) {
      return MetricDataQuery.builder()
          .id(id)
          .metricStat(
              MetricStat.builder()
                  .metric(
                      Metric.builder()
                          .namespace(namespace)
                          .metricName(metric)
                          .dimensions(dims)
                          .build())
                  .period(periodSeconds)
                  .stat(stat())
                  .build())
          .returnData(true)
          .build();
    }

    String describe() {
      if (sent()) {
        return EdgeMetrics.NETWORK_OUT + " " + group + "@" + region;
      }
      return (counted ? "relays publishing " : "")
          + metric
          + (reason == null ? "" : "{" + reason + "}")
          + (market == null ? "" : " " + market)
          + "@"
          + region;
    }
  }
}
