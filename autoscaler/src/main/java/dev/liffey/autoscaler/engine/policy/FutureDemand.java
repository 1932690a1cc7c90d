package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.DemandOracle;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Demand per region at every step of a {@link DemandOracle}'s span (and a margin past its end),
 * with the configured, fixed weights (or a {@link RoutedDemand}'s schedule); computed once, so
 * looking ahead costs nothing per tick. EC2's shortages are the oracle's, at each step's time,
 * worked out for a GPU group the first time it is asked about. Not thread-safe.
 */
final class FutureDemand {
  private final Instant start;
  private final long startMillis;
  private final long stepMillis;
  private final int steps;
  private final List<String> regions;
  private final double[][] viewers;
  private final double[][] streams;
  private final DemandOracle oracle;

  /** Per GPU group, how many instances EC2 can run at each step. */
  private final Map<FleetId, int[]> available = new HashMap<>();

  /** Per GPU group, whether any step has a shortage. */
  private final Map<FleetId, Boolean> everShort = new HashMap<>();

  FutureDemand(EdgeConfig config, DemandOracle oracle, Duration step, Duration margin) {
    this(config, oracle, step, margin, null);
  }

  /**
   * As the configured weights would place the viewers, or, with {@code routed}, where its schedule
   * places them.
   */
  FutureDemand(
      EdgeConfig config, DemandOracle oracle, Duration step, Duration margin, RoutedDemand routed) {
    this.start = oracle.start();
    this.startMillis = start.toEpochMilli();
    this.oracle = oracle;
    this.stepMillis = step.toMillis();
    this.regions = config.regionIds();
    this.steps =
        (int) (Duration.between(start, oracle.end().plus(margin)).toMillis() / stepMillis) + 1;
    this.viewers = new double[regions.size()][steps];
    this.streams = new double[regions.size()][steps];
    ViewerRouting routing = new ViewerRouting(config);
    for (int i = 0; i < steps; i++) {
      Instant t = start.plusMillis(i * stepMillis);
      Map<String, Double> byRegion = routed == null ? byRegion(config, routing, t) : null;
      for (int r = 0; r < regions.size(); r++) {
        String region = regions.get(r);
        viewers[r][i] = routed == null ? byRegion.get(region) : routed.viewers(region, t);
        streams[r][i] = oracle.streams(region, t);
      }
    }
  }

  /** Each region's viewers at {@code t} with the configured weights. */
  private Map<String, Double> byRegion(EdgeConfig config, ViewerRouting routing, Instant t) {
    Map<String, Double> byMarket = new HashMap<>();
    for (Market m : config.markets()) {
      byMarket.put(m.code(), oracle.viewers(m.code(), t));
    }
    return routing.viewersByRegion(byMarket, config.routing().initialWeights());
  }

  int steps() {
    return steps;
  }

  Instant at(int index) {
    return start.plusMillis(index * stepMillis);
  }

  double viewers(String region, Instant t) {
    return viewers[regions.indexOf(region)][index(t)];
  }

  double streams(String region, Instant t) {
    return streams[regions.indexOf(region)][index(t)];
  }

  /** How many instances of the group's type EC2 can run at {@code t}, at the step's time. */
  int available(FleetId group, Instant t) {
    return available.computeIfAbsent(group, this::availableByStep)[index(t)];
  }

  /** Whether EC2 is ever short of the group's type within the span. */
  boolean everShort(FleetId group) {
    return everShort.computeIfAbsent(
        group,
        g -> {
          for (int n : available.computeIfAbsent(g, this::availableByStep)) {
            if (n < Integer.MAX_VALUE) {
              return true;
            }
          }
          return false;
        });
  }

  private int[] availableByStep(FleetId group) {
    int[] out = new int[steps];
    for (int i = 0; i < steps; i++) {
      out[i] = oracle.available(group.region(), group.name(), at(i));
    }
    return out;
  }

  /** The step {@code t} falls in, within the span (the first or last step outside it). */
  int index(Instant t) {
    long i = Math.floorDiv(t.toEpochMilli() - startMillis, stepMillis);
    return (int) Math.max(0, Math.min(steps - 1, i));
  }
}
