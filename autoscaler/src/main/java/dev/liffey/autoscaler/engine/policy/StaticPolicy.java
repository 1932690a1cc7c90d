package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.DemandOracle;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.plan.FleetSizing;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Provisioned, all the time, for what the trace's peak needs at the target utilization; fixed
 * routing.
 */
public final class StaticPolicy implements ScalingPolicy {
  public static final String NAME = "static";
  private final Map<FleetId, Integer> units = new HashMap<>();
  private final Map<FleetId, String> why = new HashMap<>();
  private final FleetCatalog catalog;

  public StaticPolicy(EdgeConfig config, DemandOracle oracle) {
    this.catalog = new FleetCatalog(config);
    FutureDemand demand = new FutureDemand(config, oracle, config.scaling().tick(), Duration.ZERO);
    double utilization = config.scaling().targetUtilization();
    Map<String, Double> peakViewers = new HashMap<>();
    Map<String, Double> peakStreams = new HashMap<>();
    for (int i = 0; i < demand.steps(); i++) {
      Instant t = demand.at(i);
      for (String r : config.regionIds()) {
        peakViewers.merge(r, demand.viewers(r, t), Math::max);
        peakStreams.merge(r, demand.streams(r, t), Math::max);
      }
    }
    for (String region : config.regionIds()) {
      double viewers = peakViewers.getOrDefault(region, 0.0);
      for (FleetSpec s : catalog.inRegion(region, FleetKind.RELAY)) {
        put(
            s,
            s.unitsFor(viewers, utilization),
            String.format(Locale.ROOT, "%,.0f peak viewers", viewers));
      }
      for (FleetSpec s : catalog.inRegion(region, FleetKind.SERVICE)) {
        put(
            s,
            s.unitsFor(viewers, utilization),
            String.format(Locale.ROOT, "%,.0f peak viewers", viewers));
      }
      double streams = peakStreams.getOrDefault(region, 0.0);
      List<FleetSpec> pools = catalog.inRegion(region, FleetKind.TRANSCODE);
      FleetSizing.transcodeUnits(pools, streams, utilization)
          .forEach(
              (id, n) ->
                  put(
                      catalog.get(id),
                      n,
                      String.format(Locale.ROOT, "%,.0f peak streams", streams)));
    }
  }

  private void put(FleetSpec spec, int n, String because) {
    units.put(spec.id(), spec.clamp(n));
    why.put(spec.id(), because);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decision decide(Observation obs) {
    List<FleetPlan> plans = new ArrayList<>();
    for (FleetState s : obs.fleets().values()) {
      int target = units.getOrDefault(s.id(), s.desired());
      plans.add(
          new FleetPlan(
              s.id(),
              s.desired(),
              target,
              catalog.get(s.id()).warmPoolSize(),
              (target == s.desired()
                      ? "hold " + s.id() + " at " + target
                      : "provision " + s.id() + " " + s.desired() + "→" + target)
                  + ": static for "
                  + why.get(s.id())));
    }
    return new Decision(obs.now(), NAME, plans, Optional.empty());
  }
}
