package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What the edge reports (the {@code Liffey/Edge} metrics contract): concurrent viewers and edge
 * latency p95 per market and region, live streams per region, and the joins each region's relays
 * saw in the last period, refused ones by reason. A series absent from the first three maps is
 * missing; one whose sample is old is stale. Neither may ever lead to a scale-in.
 *
 * <p>Only verified viewers are demand: those watching and those refused because the relays were
 * full. A join refused for its token (unverified or rate-limited: bots, forged or replayed tokens)
 * never took a slot and never will, so no amount of them is demand ({@link #demand}).
 *
 * @param viewers viewers connected (watching): a saturated region reports what it holds, not what
 *     was asked of it
 * @param joinAttempts distinct clients who tried to join in the last period, admitted or not, bots
 *     included; absent where none did
 * @param rejectedJoins distinct viewers refused a join in the last period because the region's
 *     relays were full (reason {@code full}: the leading signal of a crowd larger than the
 *     capacity); absent where none were
 * @param unverifiedJoins distinct clients refused in the last period because their token did not
 *     verify (reason {@code unverified}); not demand; absent where none were
 * @param rateLimitedJoins distinct clients refused in the last period for joining too often (reason
 *     {@code rate-limited}); not demand; absent where none were
 * @param missing series the source asked for and did not get, for the decision's reasons
 * @param relaysReporting per region, how many relays published their viewer counts in the period
 *     read (every relay publishes every market it serves, zero included, so one market's series has
 *     one datapoint per relay); absent where unknown. Fewer than the relays in service means the
 *     viewer counts, a sum over the relays that did publish, miss the viewers of the rest
 * @param relaysHoldingViewers per region, how many of its relays in service (not draining) held at
 *     least one viewer in the period read, as a packing edge reports it (an edge that spreads its
 *     joins publishes none); absent where unknown. On a packing edge a relay holding viewers gets
 *     joins only once the fuller relays are at their target, so it empties as its viewers leave:
 *     kept in service it costs what a drain would, and still admits a crowd
 * @param relaysSentMbps per region, the average rate its relays sent in the last whole minute, in
 *     Mbit/s (EC2's own {@code NetworkOut} of the relay group, detailed monitoring: measured by
 *     AWS, not by the agents, so it is there when no agent publishes), stamped at the minute's end;
 *     absent where not read. Divided by what a viewer receives, it is the viewers the relays held
 *     in that minute, no more than their capacity: it says a region is full, not by how much
 * @param joinLatencyP95Millis edge latency p95 per market and region over the viewers of the relays
 *     taking joins now (on a packing edge those filled no further than the pack target, or every
 *     relay with room once all are past it): what a viewer joining there would get. Unlike {@code
 *     latencyP95Millis} it leaves out the viewers who stay on relays that were full, whom no weight
 *     change moves. Absent where no relay taking joins holds a viewer (a full region, or an edge
 *     that does not publish it)
 * @param followingReconnect per market and region, how many of the viewers watching there have a
 *     player subscribed to the relays' {@code reconnect} event: those a relay taken out hands over
 *     (they rejoin elsewhere within seconds) rather than keeping billed until they leave. Absent
 *     where not read or not published: then no viewer is counted on to follow
 */
public record Metrics(
    Instant at,
    Map<MarketRegion, Sample> viewers,
    Map<MarketRegion, Sample> latencyP95Millis,
    Map<String, Sample> streams,
    Map<MarketRegion, Sample> joinAttempts,
    Map<MarketRegion, Sample> rejectedJoins,
    Map<MarketRegion, Sample> unverifiedJoins,
    Map<MarketRegion, Sample> rateLimitedJoins,
    Set<String> missing,
    Map<String, Sample> relaysReporting,
    Map<String, Sample> relaysHoldingViewers,
    Map<String, Sample> relaysSentMbps,
    Map<MarketRegion, Sample> joinLatencyP95Millis,
    Map<MarketRegion, Sample> followingReconnect) {
  /** How often EC2 publishes a relay group's {@code NetworkOut} (detailed monitoring). */
  public static final Duration SENT_PERIOD = Duration.ofMinutes(1);

  /** The start of the {@link #SENT_PERIOD} {@code t} falls in, as CloudWatch aligns it. */
  public static Instant sentPeriodStart(Instant t) {
    long period = SENT_PERIOD.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), period) * period);
  }

  /** Metrics of an edge that does not say whose players follow a reconnect event. */
  public Metrics(
      Instant at,
      Map<MarketRegion, Sample> viewers,
      Map<MarketRegion, Sample> latencyP95Millis,
      Map<String, Sample> streams,
      Map<MarketRegion, Sample> joinAttempts,
      Map<MarketRegion, Sample> rejectedJoins,
      Map<MarketRegion, Sample> unverifiedJoins,
      Map<MarketRegion, Sample> rateLimitedJoins,
      Set<String> missing,
      Map<String, Sample> relaysReporting,
      Map<String, Sample> relaysHoldingViewers,
      Map<String, Sample> relaysSentMbps,
      Map<MarketRegion, Sample> joinLatencyP95Millis) {
    this(
        at,
        viewers,
        latencyP95Millis,
        streams,
        joinAttempts,
        rejectedJoins,
        unverifiedJoins,
        rateLimitedJoins,
        missing,
        relaysReporting,
        relaysHoldingViewers,
        relaysSentMbps,
        joinLatencyP95Millis,
        Map.of());
  }

  /** Metrics without the relays' own traffic. */
  public Metrics(
      Instant at,
      Map<MarketRegion, Sample> viewers,
      Map<MarketRegion, Sample> latencyP95Millis,
      Map<String, Sample> streams,
      Map<MarketRegion, Sample> joinAttempts,
      Map<MarketRegion, Sample> rejectedJoins,
      Map<MarketRegion, Sample> unverifiedJoins,
      Map<MarketRegion, Sample> rateLimitedJoins,
      Set<String> missing,
      Map<String, Sample> relaysReporting,
      Map<String, Sample> relaysHoldingViewers) {
    this(
        at,
        viewers,
        latencyP95Millis,
        streams,
        joinAttempts,
        rejectedJoins,
        unverifiedJoins,
        rateLimitedJoins,
        missing,
        relaysReporting,
        relaysHoldingViewers,
        Map.of(),
        Map.of());
  }

  /**
   * The contract's period: every series has one datapoint each 10 s, and counts (joins) are per
   * period. The simulator publishes each step's, one tick (10 s as configured).
   */
  public static final Duration PERIOD = Duration.ofSeconds(10);

  /**
   * The start of the {@link #PERIOD} {@code t} falls in: CloudWatch aligns high-resolution periods
   * to whole 10 s of the minute, and an agent stamps each datum with its period's start.
   */
  public static Instant periodStart(Instant t) {
    long period = PERIOD.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), period) * period);
  }

  /** Metrics of an edge that refuses no token: its only refusals are for full relays. */
  public Metrics(
      Instant at,
      Map<MarketRegion, Sample> viewers,
      Map<MarketRegion, Sample> latencyP95Millis,
      Map<String, Sample> streams,
      Map<MarketRegion, Sample> joinAttempts,
      Map<MarketRegion, Sample> rejectedJoins,
      Set<String> missing) {
    this(
        at,
        viewers,
        latencyP95Millis,
        streams,
        joinAttempts,
        rejectedJoins,
        Map.of(),
        Map.of(),
        missing,
        Map.of(),
        Map.of());
  }

  /** Metrics of an edge that reports no joins. */
  public Metrics(
      Instant at,
      Map<MarketRegion, Sample> viewers,
      Map<MarketRegion, Sample> latencyP95Millis,
      Map<String, Sample> streams,
      Set<String> missing) {
    this(at, viewers, latencyP95Millis, streams, Map.of(), Map.of(), missing);
  }

  /**
   * The p95 a viewer joining {@code key}'s region would get: the relays taking joins', else (none
   * of them holds a viewer, or the edge does not publish it) every viewer's there; null when
   * neither is fresh at {@code now}.
   */
  public Sample joinLatencyP95(MarketRegion key, Instant now, Duration staleAfter) {
    Sample joining = fresh(joinLatencyP95Millis.get(key), now, staleAfter);
    return joining != null ? joining : fresh(latencyP95Millis.get(key), now, staleAfter);
  }

  /**
   * Whether {@link #joinLatencyP95} reads the relays taking joins for {@code key} at {@code now},
   * rather than every viewer's.
   */
  public boolean readsJoinLatency(MarketRegion key, Instant now, Duration staleAfter) {
    return fresh(joinLatencyP95Millis.get(key), now, staleAfter) != null;
  }

  private static Sample fresh(Sample s, Instant now, Duration staleAfter) {
    return s == null || s.staleAt(now, staleAfter) ? null : s;
  }

  /**
   * Verified viewers asking {@code key} for a slot: those connected plus those its full relays
   * refused in the last period. Joins refused for their token are never part of it.
   */
  public double demand(MarketRegion key) {
    return value(viewers, key) + value(rejectedJoins, key);
  }

  /**
   * The join attempts of the last period less those refused for their token (unverified or
   * rate-limited), never negative: the viewers who tried to join and could have been admitted.
   */
  public double verifiedJoinAttempts(MarketRegion key) {
    return Math.max(0, value(joinAttempts, key) - refusedTokens(key));
  }

  /**
   * Joins refused in the last period for their token, unverified or rate-limited: bots, not demand.
   */
  public double refusedTokens(MarketRegion key) {
    return value(unverifiedJoins, key) + value(rateLimitedJoins, key);
  }

  /**
   * The share of {@code key}'s viewers whose players follow a reconnect event, 0 to 1: what the
   * edge counted following over the viewers it counted, both fresh at {@code now}; 0 when either is
   * missing or stale, or nobody watches (a handover is a scale-in, and never rests on what could
   * not be read).
   */
  public double followingShare(MarketRegion key, Instant now, Duration staleAfter) {
    Sample following = fresh(followingReconnect.get(key), now, staleAfter);
    Sample watching = fresh(viewers.get(key), now, staleAfter);
    if (following == null || watching == null || watching.value() <= 0) {
      return 0;
    }
    return Math.max(0, Math.min(1, following.value() / watching.value()));
  }

  /** Viewers connected to {@code region}'s relays, every market. */
  public double viewersIn(String region) {
    return inRegion(region, key -> value(viewers, key));
  }

  /** Viewers asking {@code region} for a slot, every market: those connected and those refused. */
  public double demandIn(String region) {
    return inRegion(region, this::demand);
  }

  /** {@code metric} summed over every market with a viewer series in {@code region}. */
  private double inRegion(String region, ToDoubleFunction<MarketRegion> metric) {
    double sum = 0;
    for (MarketRegion key : viewers.keySet()) {
      if (key.region().equals(region)) {
        sum += metric.applyAsDouble(key);
      }
    }
    return sum;
  }

  /**
   * These metrics with each region's counts (viewers, joins, relays holding viewers) scaled up to
   * the relays that had to publish them, where fewer did ({@code relaysReporting}): an agent that
   * cannot reach CloudWatch is no likelier to sit on a full relay than on an empty one, so the
   * relays that published stand for the rest. Without it the sum reads as an audience leaving when
   * agents go quiet and as a surge when they publish again. {@code relaysReporting} is kept as
   * read: what was counted, not estimated, is what a scale-in may rest on. {@code
   * relaysThatPublish} gives how many of a region's relays were in service all through the period
   * read (null: not known); a relay that came into service since may not have published in it yet,
   * and holds the few viewers who joined it since. Only regions that said how many published are
   * asked.
   */
  public Metrics withSilentRelaysLikeTheRest(Function<String, Integer> relaysThatPublish) {
    Map<String, Double> scale = new HashMap<>();
    relaysReporting.forEach(
        (region, reporting) -> {
          Integer publish = relaysThatPublish.apply(region);
          if (publish != null && reporting.value() > 0 && reporting.value() < publish) {
            scale.put(region, publish / reporting.value());
          }
        });
    if (scale.isEmpty()) {
      return this;
    }
    Map<String, Sample> holding = new HashMap<>(relaysHoldingViewers);
    holding.replaceAll((region, sample) -> scaled(sample, scale.getOrDefault(region, 1.0)));
    return new Metrics(
        at,
        scaled(viewers, scale),
        latencyP95Millis,
        streams,
        scaled(joinAttempts, scale),
        scaled(rejectedJoins, scale),
        scaled(unverifiedJoins, scale),
        scaled(rateLimitedJoins, scale),
        missing,
        relaysReporting,
        Map.copyOf(holding),
        relaysSentMbps,
        joinLatencyP95Millis,
        scaled(followingReconnect, scale));
  }

  /**
   * These metrics with {@code admitted} viewers per region taken out of its refusals for full
   * relays (each market's in proportion, none below 0): viewers the edge counted as refused in the
   * period and who got in later in it, so are watching too ({@code LateAdmissions}).
   */
  public Metrics withRefusedAdmittedLater(Map<String, Double> admitted) {
    Map<String, Double> refused = new HashMap<>();
    rejectedJoins.forEach((key, s) -> refused.merge(key.region(), s.value(), Double::sum));
    Map<String, Double> keep = new HashMap<>();
    admitted.forEach(
        (region, n) -> {
          double all = refused.getOrDefault(region, 0.0);
          if (all > 0 && n > 0) {
            keep.put(region, Math.max(0, all - n) / all);
          }
        });
    if (keep.isEmpty()) {
      return this;
    }
    return new Metrics(
        at,
        viewers,
        latencyP95Millis,
        streams,
        joinAttempts,
        scaled(rejectedJoins, keep),
        unverifiedJoins,
        rateLimitedJoins,
        missing,
        relaysReporting,
        relaysHoldingViewers,
        relaysSentMbps,
        joinLatencyP95Millis,
        followingReconnect);
  }

  private static Map<MarketRegion, Sample> scaled(
      Map<MarketRegion, Sample> series, Map<String, Double> scale) {
    Map<MarketRegion, Sample> out = new HashMap<>(series);
    out.replaceAll((key, sample) -> scaled(sample, scale.getOrDefault(key.region(), 1.0)));
    return Map.copyOf(out);
  }

  private static Sample scaled(Sample sample, double by) {
    return by == 1.0 ? sample : new Sample(sample.value() * by, sample.at());
  }

  private static double value(Map<MarketRegion, Sample> series, MarketRegion key) {
    Sample s = series.get(key);
    return s == null ? 0 : s.value();
  }
}
