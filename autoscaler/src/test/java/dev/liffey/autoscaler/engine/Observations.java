package dev.liffey.autoscaler.engine;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds observations for engine tests: every fleet at its floor, fresh metrics, configured
 * weights.
 */
final class Observations {
  static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
  final EdgeConfig config = TestConfigs.repository();
  Instant now = T0;
  Instant metricsAt = T0;
  final Map<MarketRegion, Double> viewers = new HashMap<>();
  final Map<MarketRegion, Double> latency = new HashMap<>();

  /** Per market-region, the relays taking joins' p95; absent: not published. */
  final Map<MarketRegion, Double> joinLatency = new HashMap<>();

  final Map<String, Double> streams = new HashMap<>();

  /** Verified join attempts per market and region in the last metrics period. */
  final Map<MarketRegion, Double> joins = new HashMap<>();

  /** Joins refused for full relays per market and region in the last metrics period. */
  final Map<MarketRegion, Double> refused = new HashMap<>();

  final Map<FleetId, FleetState> fleets = new TreeMap<>();
  final Set<MarketRegion> missingViewers = new HashSet<>();

  /** Per region, how many relays published their viewer counts; absent: not said. */
  final Map<String, Double> relaysReporting = new HashMap<>();

  /**
   * Per region, how many relays in service the packing edge says hold viewers; absent: not said.
   */
  final Map<String, Double> holdingViewers = new HashMap<>();

  /** Per region, what its relays sent in the last minute (Mbit/s); absent: not read. */
  final Map<String, Double> sentMbps = new HashMap<>();

  /** When that minute ended. */
  Instant sentAt = T0;

  /** How old those counts are, in seconds (the other series being fresh). */
  long holdingViewersAge;

  Map<String, Integer> weights;
  ControlState control = ControlState.EMPTY;

  Observations() {
    for (FleetSpec s : new FleetCatalog(config).all()) {
      fleets.put(
          s.id(), new FleetState(s.id(), s.min(), s.min(), 0, s.warmPoolSize(), s.warmPoolSize()));
    }
    for (Market m : config.markets()) {
      for (Market.ServedBy s : m.servedBy()) {
        viewers.put(new MarketRegion(m.code(), s.regionId()), 0.0);
        latency.put(new MarketRegion(m.code(), s.regionId()), (double) s.baseLatencyMillis());
      }
    }
    config.regionIds().forEach(r -> streams.put(r, 0.0));
    weights = config.routing().initialWeights();
  }

  Observations at(Instant t) {
    now = t;
    metricsAt = t;
    return this;
  }

  /** Tick {@code i} of a loop ticking every 10 s from {@link #T0}, reading the period before. */
  Observations atTick(int i) {
    at(T0.plusSeconds(10L * i));
    metricsAt = now.minusSeconds(10);
    return this;
  }

  Observations viewers(String market, String region, double n) {
    viewers.put(new MarketRegion(market, region), n);
    return this;
  }

  /** On-call's freeze of {@code region}'s {@code fleet} (empty: all) until {@code until}. */
  Observations freeze(
      Optional<String> region, Optional<String> fleet, Instant until, String reason, String who) {
    control =
        new ControlState(
            List.of(),
            List.of(new ControlState.Freeze(region, fleet, until, reason, who)),
            List.of());
    return this;
  }

  Observations latency(String market, String region, double ms) {
    latency.put(new MarketRegion(market, region), ms);
    return this;
  }

  /** The p95 of the viewers on the relays taking joins of {@code market} in {@code region}. */
  Observations joinLatency(String market, String region, double ms) {
    joinLatency.put(new MarketRegion(market, region), ms);
    return this;
  }

  Observations joins(String market, String region, double perPeriod) {
    joins.put(new MarketRegion(market, region), perPeriod);
    return this;
  }

  Observations fleet(FleetId id, int desired, int inService, int warm) {
    FleetState old = fleets.get(id);
    fleets.put(
        id,
        new FleetState(
            id, desired, inService, Math.max(0, desired - inService), warm, old.warmPoolSize()));
    return this;
  }

  Observation build() {
    Map<MarketRegion, Sample> v = new HashMap<>();
    viewers.forEach(
        (k, n) -> {
          if (!missingViewers.contains(k)) {
            v.put(k, new Sample(n, metricsAt));
          }
        });
    Map<MarketRegion, Sample> l = new HashMap<>();
    latency.forEach((k, ms) -> l.put(k, new Sample(ms, metricsAt)));
    Map<String, Sample> s = new HashMap<>();
    streams.forEach((k, n) -> s.put(k, new Sample(n, metricsAt)));
    Map<MarketRegion, Sample> j = new HashMap<>();
    joins.forEach((k, n) -> j.put(k, new Sample(n, metricsAt)));
    Map<MarketRegion, Sample> full = new HashMap<>();
    refused.forEach((k, n) -> full.put(k, new Sample(n, metricsAt)));
    Map<String, Sample> reporting = new HashMap<>();
    relaysReporting.forEach((r, n) -> reporting.put(r, new Sample(n, metricsAt)));
    Map<String, Sample> holding = new HashMap<>();
    holdingViewers.forEach(
        (r, n) -> holding.put(r, new Sample(n, metricsAt.minusSeconds(holdingViewersAge))));
    Map<MarketRegion, Sample> joining = new HashMap<>();
    joinLatency.forEach((k, ms) -> joining.put(k, new Sample(ms, metricsAt)));
    Map<String, Sample> sent = new HashMap<>();
    sentMbps.forEach((r, mbps) -> sent.put(r, new Sample(mbps, sentAt)));
    return new Observation(
        now,
        new Metrics(
            metricsAt, v, l, s, j, full, Map.of(), Map.of(), Set.of(), reporting, holding, sent,
            joining),
        Map.copyOf(fleets),
        Map.copyOf(weights),
        control);
  }

  static List<String> regions() {
    return TestConfigs.repository().regionIds();
  }
}
