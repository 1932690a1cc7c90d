package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.MetricsSource;
import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The AWS edge, in-process: every fleet of the configuration, DNS weights that take effect
 * {@link #DNS_PROPAGATION} plus the TTL after they are set, and edge latency from {@link LatencyModel}.
 * It replays a {@link Trace} one step at a time and scores what it serves. The metrics it reports
 * are those of the last completed step, as a real metrics pipeline lags. Not thread-safe.
 */
public final class SimulatedCloud implements MetricsSource, FleetActuator, WorkloadActuator, RoutingActuator, Clock {
  /** Route 53 needs about a minute to reach every edge location, then resolvers wait out the TTL. */
  public static final Duration DNS_PROPAGATION = Duration.ofSeconds(60);

  private final EdgeConfig config;
  private final Trace trace;
  private final Instant start;
  private final ViewerRouting routing;
  private final Map<FleetId, SimFleet> fleets = new LinkedHashMap<>();
  private final TreeMap<Instant, Map<String, Integer>> weightHistory = new TreeMap<>();
  private final ScoreAccumulator score = new ScoreAccumulator();
  private final Duration dnsDelay;
  private Instant now;
  private Map<String, Integer> weights;
  private long weightChanges;
  private Metrics lastMetrics;
  private final List<RegionStep> lastSteps = new ArrayList<>();

  public SimulatedCloud(EdgeConfig config, Trace trace, Instant start) {
    this.config = config;
    this.trace = trace;
    this.start = start;
    this.now = start;
    this.routing = new ViewerRouting(config);
    for (FleetSpec spec : new FleetCatalog(config).all()) {
      fleets.put(spec.id(), new SimFleet(spec));
    }
    this.weights = Map.copyOf(config.routing().initialWeights());
    this.weightHistory.put(Instant.MIN, weights);
    this.dnsDelay = DNS_PROPAGATION.plusSeconds(config.routing().ttlSeconds());
    this.lastMetrics = measure(0);
  }

  // ---- Clock, MetricsSource

  @Override
  public Instant now() {
    return now;
  }

  public Instant start() {
    return start;
  }

  @Override
  public Metrics read() {
    return lastMetrics;
  }

  // ---- FleetActuator, WorkloadActuator, RoutingActuator

  @Override
  public List<FleetState> fleets() {
    return states(false);
  }

  @Override
  public List<FleetState> services() {
    return states(true);
  }

  private List<FleetState> states(boolean services) {
    List<FleetState> out = new ArrayList<>();
    fleets.values().stream()
        .filter(f -> (f.spec.id().kind() == FleetKind.SERVICE) == services)
        .forEach(f -> out.add(f.state()));
    return out;
  }

  @Override
  public void setCapacity(FleetId fleet, int desired, int warmPoolSize) {
    fleet(fleet).setCapacity(desired, warmPoolSize, now);
  }

  @Override
  public void setReplicas(FleetId service, int replicas) {
    fleet(service).setCapacity(replicas, 0, now);
  }

  @Override
  public Map<String, Integer> weights() {
    return weights;
  }

  @Override
  public void setWeights(Map<String, Integer> newWeights) {
    if (!newWeights.equals(weights)) {
      weights = Map.copyOf(newWeights);
      weightHistory.put(now, weights);
      weightChanges++;
    }
  }

  private SimFleet fleet(FleetId id) {
    SimFleet f = fleets.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no fleet " + id + " in the simulated cloud");
    }
    return f;
  }

  // ---- driving the simulation

  /** Puts every fleet straight into service at the given units, as if it had been running. */
  public void startWith(Map<FleetId, Integer> units) {
    units.forEach((id, n) -> fleet(id).startWith(n));
    lastMetrics = measure(0);
  }

  /** The weights resolvers act on at {@code t}: those set at least the DNS delay before it. */
  public Map<String, Integer> effectiveWeights(Instant t) {
    return weightHistory.floorEntry(t.minus(dnsDelay)).getValue();
  }

  /** Seconds since the trace's start. */
  public double elapsedSeconds() {
    return Duration.between(start, now).toMillis() / 1000.0;
  }

  /** Serves the demand of [now, now + dt) with the capacity in service now, then moves time on. */
  public void step(Duration dt) {
    double t = elapsedSeconds();
    double seconds = dt.toMillis() / 1000.0;
    Map<String, Double> viewersByMarket = viewersAt(t);
    Map<String, Integer> inEffect = effectiveWeights(now);
    double totalViewers = viewersByMarket.values().stream().mapToDouble(Double::doubleValue).sum();
    score.peakViewers = Math.max(score.peakViewers, totalViewers);

    Map<String, Double> regionViewers = routing.viewersByRegion(viewersByMarket, inEffect);
    lastSteps.clear();
    for (String region : config.regionIds()) {
      double demand = regionViewers.get(region);
      double capacity = capacity(region, FleetKind.RELAY);
      lastSteps.add(new RegionStep(t, region, demand, capacity));
      double served = Math.min(demand, capacity);
      score.unservedViewerSeconds += (demand - served) * seconds;
      double utilization = capacity > 0 ? demand / capacity : (demand > 0 ? Double.POSITIVE_INFINITY : 0);
      double servedFraction = demand > 0 ? served / demand : 0;
      double penalty = trace.valueAt(TraceKind.LATENCY, region, t);
      for (Market m : config.markets()) {
        double share = routing.shares(m, inEffect).getOrDefault(region, 0.0);
        double viewers = viewersByMarket.getOrDefault(m.code(), 0.0) * share * servedFraction;
        if (viewers > 0) {
          score.served(viewers * seconds, LatencyModel.latencyMillis(base(m, region), penalty, utilization),
              config.scaling().latencySloMillis());
        }
      }
      double streams = trace.valueAt(TraceKind.STREAMS, region, t);
      score.unservedStreamSeconds += Math.max(0, streams - capacity(region, FleetKind.TRANSCODE)) * seconds;
      for (SimFleet f : fleets.values()) {
        if (f.spec.id().region().equals(region) && f.spec.id().kind() == FleetKind.SERVICE) {
          score.unservedServiceViewerSeconds +=
              Math.max(0, demand - (double) f.inService() * f.spec.unitCapacity()) * seconds;
        }
      }
    }
    for (SimFleet f : fleets.values()) {
      double c = f.costUsd(dt);
      score.costUsd += c;
      score.costByKind.merge(f.spec.id().kind(), c, Double::sum);
    }

    now = now.plus(dt);
    fleets.values().forEach(f -> f.advance(now));
    lastMetrics = measure(t);
  }

  /** What the edge reports about the step that began {@code t} seconds after the start, stamped now. */
  private Metrics measure(double t) {
    Map<String, Double> viewersByMarket = viewersAt(t);
    Map<String, Integer> inEffect = effectiveWeights(now);
    Map<String, Double> regionViewers = routing.viewersByRegion(viewersByMarket, inEffect);
    Map<MarketRegion, Sample> viewers = new HashMap<>();
    Map<MarketRegion, Sample> latency = new HashMap<>();
    Map<String, Sample> streams = new HashMap<>();
    for (Market m : config.markets()) {
      Map<String, Double> shares = routing.shares(m, inEffect);
      for (Market.ServedBy s : m.servedBy()) {
        String region = s.regionId();
        double capacity = capacity(region, FleetKind.RELAY);
        double demand = regionViewers.get(region);
        double utilization = capacity > 0 ? demand / capacity : (demand > 0 ? Double.POSITIVE_INFINITY : 0);
        MarketRegion key = new MarketRegion(m.code(), region);
        viewers.put(key, new Sample(viewersByMarket.getOrDefault(m.code(), 0.0) * shares.getOrDefault(region, 0.0), now));
        // Probes measure every candidate region, routed to or not.
        latency.put(key, new Sample(LatencyModel.latencyMillis(s.baseLatencyMillis(),
            trace.valueAt(TraceKind.LATENCY, region, t), utilization), now));
      }
    }
    for (String region : config.regionIds()) {
      streams.put(region, new Sample(trace.valueAt(TraceKind.STREAMS, region, t), now));
    }
    return new Metrics(now, Map.copyOf(viewers), Map.copyOf(latency), Map.copyOf(streams), Set.of());
  }

  private Map<String, Double> viewersAt(double t) {
    Map<String, Double> out = new HashMap<>();
    for (Market m : config.markets()) {
      out.put(m.code(), trace.valueAt(TraceKind.VIEWERS, m.code(), t));
    }
    return out;
  }

  private double capacity(String region, FleetKind kind) {
    double c = 0;
    for (SimFleet f : fleets.values()) {
      if (f.spec.id().region().equals(region) && f.spec.id().kind() == kind) {
        c += (double) f.inService() * f.spec.unitCapacity();
      }
    }
    return c;
  }

  private static int base(Market m, String region) {
    return m.servedBy().stream().filter(s -> s.regionId().equals(region)).findFirst()
        .map(Market.ServedBy::baseLatencyMillis).orElse(0);
  }

  public Scorecard scorecard(String policy) {
    long actions = weightChanges + fleets.values().stream().mapToLong(SimFleet::changes).sum();
    return score.toScorecard(policy, actions);
  }

  /** What each region served in the last step. */
  public List<RegionStep> lastSteps() {
    return List.copyOf(lastSteps);
  }

  /** Cost so far per kind of fleet (relays, transcoders, services). */
  public Map<FleetKind, Double> costByKind() {
    return Map.copyOf(score.costByKind);
  }

  public Trace trace() {
    return trace;
  }
}
