package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.autoscaler.engine.policy.RoutedDemand;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.latency.LatencyModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's viewers when the routed market's joins leave every region an incident slows past the
 * SLO for as long as it does (its p95 at the target utilization, with the incident's added latency,
 * over {@code latencySloMillis}), and return when it clears; with every region slowed, the
 * configured weights. Joins leave only as far as the regions they go to stay within their relay
 * ceilings: a region full to its ceiling takes none, and they stay where the incident is. Those
 * already watching stay where they joined until their sessions end, as {@link Audience} keeps them
 * with capacity never short: what {@link
 * dev.liffey.autoscaler.engine.policy.OraclePolicy#REROUTING_NAME} plans for. Worked out once for
 * the trace, a tick at a time. Seen {@code lag} late ({@link #seenLate}), each move is in force
 * that long after the incident began or cleared: what a router that only reacts can do at best.
 */
final class ReroutedDemand implements RoutedDemand {
  /** The steps in which joins come back to a slowed region when the others cannot take them all. */
  private static final int TENTHS = 10;

  private final Instant start;
  private final long stepMillis;
  private final List<String> regions;
  private final List<Map<String, Integer>> weights = new ArrayList<>();
  private final List<double[]> viewers = new ArrayList<>();

  ReroutedDemand(EdgeConfig config, Trace trace, Instant start) {
    this(config, trace, start, Duration.ZERO);
  }

  /**
   * Joins that leave an incident and come back once a router that reacts could have moved them: it
   * sees the incident in the first metrics period's p95 ({@link Metrics#PERIOD}), and resolvers act
   * on the weights it then sets a DNS delay later ({@code steersAfter}).
   */
  static ReroutedDemand seenLate(EdgeConfig config, Trace trace, Instant start) {
    return new ReroutedDemand(
        config, trace, start, Metrics.PERIOD.plus(config.routing().steersAfter()));
  }

  /**
   * @param lag how long after an incident begins or clears the joins' move is in force; zero: on
   *     time (each weight set a DNS delay ahead)
   */
  private ReroutedDemand(EdgeConfig config, Trace trace, Instant start, Duration lag) {
    this.start = start;
    Duration tick = config.scaling().tick();
    this.stepMillis = tick.toMillis();
    this.regions = config.regionIds();
    Market routed = config.market(config.routing().market()).orElseThrow();
    Map<String, Integer> configured = config.routing().initialWeights();
    LatencyModel latency = new LatencyModel(config.media().jitterMillis());
    double seconds = tick.toMillis() / 1000.0;
    long dnsSteps = config.routing().steersAfter().toMillis() / stepMillis;
    long steps = trace.length().toMillis() / stepMillis + 1;
    double lagSeconds = lag.toMillis() / 1000.0;
    Audience audience = new Audience(config);
    ViewerRouting routing = new ViewerRouting(config);
    Map<String, Double> ceilings = new HashMap<>();
    config
        .regions()
        .forEach(
            r ->
                ceilings.put(
                    r.id(),
                    (double) r.relay().sizing().maxInstances() * r.relay().viewersPerInstance()));
    audience.settle(viewersAt(config, trace, 0), ceilings, configured);
    for (long i = 0; i < steps; i++) {
      double t = i * seconds;
      // Nothing set before the trace began is in force until a DNS delay into it.
      Map<String, Double> demand = viewersAt(config, trace, t);
      Map<String, Integer> inForce =
          i < dnsSteps
              ? configured
              : withinCeilings(
                  config,
                  routing,
                  audience,
                  demand,
                  ceilings,
                  t < lagSeconds
                      ? List.of()
                      : slowed(config, routed, latency, trace, t - lagSeconds));
      Map<String, SessionLength> sessions = new HashMap<>();
      config.markets().forEach(m -> sessions.put(m.code(), trace.session(m.code(), t)));
      audience.step(demand, ceilings, Map.of(), Map.of(), Map.of(), inForce, seconds, sessions);
      Map<String, Double> load = audience.loadByRegion();
      double[] byRegion = new double[regions.size()];
      for (int r = 0; r < regions.size(); r++) {
        byRegion[r] = load.get(regions.get(r));
      }
      weights.add(inForce);
      viewers.add(byRegion);
    }
  }

  /**
   * The regions serving {@code routed} an incident slows past the SLO at {@code t}; none when it
   * slows them all (joins have nowhere better to go).
   */
  private static List<String> slowed(
      EdgeConfig config, Market routed, LatencyModel latency, Trace trace, double t) {
    List<String> slowed = new ArrayList<>();
    for (Market.ServedBy s : routed.servedBy()) {
      double added = trace.valueAt(TraceKind.LATENCY, s.regionId(), t);
      double p95 =
          latency
              .at(s.baseLatencyMillis() + added, config.scaling().targetUtilization())
              .p95Millis();
      if (added > 0 && p95 > config.scaling().latencySloMillis()) {
        slowed.add(s.regionId());
      }
    }
    return slowed.size() == routed.servedBy().size() ? List.of() : slowed;
  }

  /**
   * The configured weights with as many of the routed market's joins off {@code slowed} as the
   * other regions' ceilings take, this step and once the audience has turned over to them: all of
   * them, else the slowed regions' weights a tenth less at a time.
   */
  private static Map<String, Integer> withinCeilings(
      EdgeConfig config,
      ViewerRouting routing,
      Audience audience,
      Map<String, Double> demand,
      Map<String, Double> ceilings,
      List<String> slowed) {
    Map<String, Integer> configured = config.routing().initialWeights();
    if (slowed.isEmpty()) {
      return configured;
    }
    Map<String, Double> load = audience.loadByRegion();
    for (int kept = 0; kept < TENTHS; kept++) {
      Map<String, Integer> weights =
          kept == 0
              ? ViewerRouting.withoutDrained(configured, slowed)
              : keeping(configured, slowed, (double) kept / TENTHS);
      // What the regions hold once this step's joins are in, and once every session has turned
      // over to these weights: both within the ceilings, or the joins would be refused later.
      Map<String, Double> after = new HashMap<>(load);
      Map<String, Double> settled = new HashMap<>();
      for (Market m : config.markets()) {
        double wanted = demand.getOrDefault(m.code(), 0.0);
        double joining = Math.max(0, wanted - audience.watching(m.code()));
        routing
            .shares(m, weights)
            .forEach(
                (r, share) -> {
                  after.merge(r, joining * share, Double::sum);
                  settled.merge(r, wanted * share, Double::sum);
                });
      }
      settled.forEach((r, n) -> after.merge(r, n, Math::max));
      boolean fits = true;
      for (Map.Entry<String, Double> e : after.entrySet()) {
        fits &= slowed.contains(e.getKey()) || e.getValue() <= ceilings.get(e.getKey());
      }
      if (fits) {
        return weights;
      }
    }
    return configured;
  }

  /** The configured weights with {@code keep} of each slowed region's. */
  private static Map<String, Integer> keeping(
      Map<String, Integer> configured, List<String> slowed, double keep) {
    Map<String, Integer> weights = new HashMap<>(configured);
    slowed.forEach(r -> weights.put(r, (int) Math.round(configured.get(r) * keep)));
    return weights;
  }

  private static Map<String, Double> viewersAt(EdgeConfig config, Trace trace, double t) {
    Map<String, Double> out = new HashMap<>();
    for (Market m : config.markets()) {
      out.put(m.code(), trace.valueAt(TraceKind.VIEWERS, m.code(), t));
    }
    return out;
  }

  @Override
  public Map<String, Integer> weightsInForce(Instant at) {
    return weights.get(index(at));
  }

  @Override
  public double viewers(String region, Instant at) {
    return viewers.get(index(at))[regions.indexOf(region)];
  }

  /** The tick {@code at} falls in, within the trace (the first or last one outside it). */
  private int index(Instant at) {
    long i = Math.floorDiv(at.toEpochMilli() - start.toEpochMilli(), stepMillis);
    return (int) Math.max(0, Math.min(weights.size() - 1, i));
  }
}
