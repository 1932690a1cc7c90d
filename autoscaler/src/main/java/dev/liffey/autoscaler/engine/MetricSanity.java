package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses metric values no real edge can report: negative, NaN or infinite ones, viewers or streams
 * above what the region's largest fleet could ever carry (by {@link #MARGIN}), and latencies longer
 * than a live session can have. A refused series is treated as missing, so it never scales anything
 * (and, missing, it blocks scale-in). Immutable; thread-safe.
 */
public final class MetricSanity {
  /**
   * Per-unit capacity is what a unit is planned to carry at full utilization; no relay or GPU
   * carries twice that (its CPU, NIC or encoder slots run out first).
   */
  static final double MARGIN = 2.0;

  /**
   * ICE consent freshness (RFC 7675) ends a session whose peer has not answered for 30 s, so no
   * live viewer's round trip is longer.
   */
  static final double MAX_LATENCY_MILLIS = 30_000;

  /** Finite and non-negative only: for simulations and tests with no configuration at hand. */
  public static final MetricSanity FINITE = new MetricSanity(Map.of(), Map.of());

  private final Map<String, Double> maxViewers;
  private final Map<String, Double> maxStreams;

  private MetricSanity(Map<String, Double> maxViewers, Map<String, Double> maxStreams) {
    this.maxViewers = Map.copyOf(maxViewers);
    this.maxStreams = Map.copyOf(maxStreams);
  }

  /** Bounds from each region's fleets at their maximum size. */
  public static MetricSanity of(EdgeConfig config) {
    FleetCatalog catalog = new FleetCatalog(config);
    Map<String, Double> viewers = new HashMap<>();
    Map<String, Double> streams = new HashMap<>();
    for (String region : config.regionIds()) {
      viewers.put(region, MARGIN * most(catalog.inRegion(region, FleetKind.RELAY)));
      streams.put(region, MARGIN * most(catalog.inRegion(region, FleetKind.TRANSCODE)));
    }
    return new MetricSanity(viewers, streams);
  }

  private static double most(List<FleetSpec> specs) {
    return specs.stream().mapToDouble(s -> (double) s.max() * s.unitCapacity()).sum();
  }

  /** The metrics with every refused series moved to {@code missing}, and one line per refusal. */
  public Checked check(Metrics m) {
    List<String> refused = new ArrayList<>();
    Set<String> missing = new TreeSet<>(m.missing());
    Map<MarketRegion, Sample> viewers = counts(m.viewers(), "viewers ", refused, missing);
    Map<MarketRegion, Sample> latency =
        latencies(m.latencyP95Millis(), "edge latency p95 ", refused, missing);
    Map<MarketRegion, Sample> joinLatency =
        latencies(m.joinLatencyP95Millis(), "join latency p95 ", refused, missing);
    Map<String, Sample> streams = new HashMap<>();
    m.streams()
        .forEach(
            (r, s) ->
                keep(
                    streams,
                    r,
                    s,
                    "streams " + r,
                    maxStreams.get(r),
                    ", " + MARGIN + "x what " + r + "'s GPU groups carry at their largest",
                    refused,
                    missing));
    // A crowd larger than the region is what join counts are for: they are bounded by nothing but
    // sense.
    Map<MarketRegion, Sample> attempts = new HashMap<>();
    m.joinAttempts()
        .forEach((k, s) -> keep(attempts, k, s, "join attempts " + k, null, "", refused, missing));
    Map<MarketRegion, Sample> rejected = new HashMap<>();
    m.rejectedJoins()
        .forEach((k, s) -> keep(rejected, k, s, "rejected joins " + k, null, "", refused, missing));
    Map<MarketRegion, Sample> unverified = new HashMap<>();
    m.unverifiedJoins()
        .forEach(
            (k, s) -> keep(unverified, k, s, "unverified joins " + k, null, "", refused, missing));
    Map<MarketRegion, Sample> rateLimited = new HashMap<>();
    m.rateLimitedJoins()
        .forEach(
            (k, s) ->
                keep(rateLimited, k, s, "rate-limited joins " + k, null, "", refused, missing));
    // What a relay sends is bounded by its network card, not by its viewers: finite and not
    // negative is all that can be asked.
    Map<String, Sample> sent = new HashMap<>();
    m.relaysSentMbps()
        .forEach(
            (r, s) -> keep(sent, r, s, "relays' traffic sent " + r, null, "", refused, missing));
    // Following players are some of the viewers: bounded as they are (the share read caps at 1).
    Map<MarketRegion, Sample> following =
        counts(m.followingReconnect(), "viewers following reconnect ", refused, missing);
    if (refused.isEmpty()) {
      return new Checked(m, List.of());
    }
    return new Checked(
        new Metrics(
            m.at(),
            Map.copyOf(viewers),
            Map.copyOf(latency),
            Map.copyOf(streams),
            Map.copyOf(attempts),
            Map.copyOf(rejected),
            Map.copyOf(unverified),
            Map.copyOf(rateLimited),
            Set.copyOf(missing),
            m.relaysReporting(),
            m.relaysHoldingViewers(),
            Map.copyOf(sent),
            Map.copyOf(joinLatency),
            Map.copyOf(following)),
        List.copyOf(refused));
  }

  /** A series of viewers' samples no larger than their region's relays can hold, with a margin. */
  private Map<MarketRegion, Sample> counts(
      Map<MarketRegion, Sample> series, String name, List<String> refused, Set<String> missing) {
    Map<MarketRegion, Sample> out = new HashMap<>();
    series.forEach(
        (k, s) ->
            keep(
                out,
                k,
                s,
                name + k,
                maxViewers.get(k.region()),
                ", " + MARGIN + "x what " + k.region() + "'s relays carry at their largest",
                refused,
                missing));
    return out;
  }

  /** A latency series' samples that make sense; each one that does not is refused and missing. */
  private static Map<MarketRegion, Sample> latencies(
      Map<MarketRegion, Sample> series, String name, List<String> refused, Set<String> missing) {
    Map<MarketRegion, Sample> kept = new HashMap<>();
    series.forEach(
        (k, s) ->
            keep(
                kept,
                k,
                s,
                name + k,
                MAX_LATENCY_MILLIS,
                " ms, longer than a live session's round trip can be",
                refused,
                missing));
    return kept;
  }

  /**
   * @param above what follows "is above N" when the value is above {@code most}
   */
  private static <K> void keep(
      Map<K, Sample> out,
      K key,
      Sample s,
      String series,
      Double most,
      String above,
      List<String> refused,
      Set<String> missing) {
    double v = s.value();
    String why = null;
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      why = "is not a number";
    } else if (v < 0) {
      why = "is negative";
    } else if (most != null && v > most) {
      why = "is above " + number(most) + above;
    }
    if (why == null) {
      out.put(key, s);
      return;
    }
    refused.add(
        String.format(Locale.ROOT, "%s = %s %s: treated as missing", series, number(v), why));
    missing.add(series);
  }

  private static String number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? Double.toString(v)
        : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** Metrics with the refused series taken out, and why each was refused. */
  public record Checked(Metrics metrics, List<String> refused) {}
}
