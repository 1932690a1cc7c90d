package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.DemandOracle;
import dev.liffey.autoscaler.engine.FleetCatalog;
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
import java.util.List;
import java.util.Optional;

/**
 * The physical limit on cost: knows the whole trace, keeps at every instant the least in-service
 * capacity that serves all demand at 100% utilization, and launches each unit exactly one boot time
 * ahead (warm boot while its pool has instances, cold beyond). Fixed routing. No real policy can be
 * cheaper while serving everyone.
 */
public final class OraclePolicy implements ScalingPolicy {
  public static final String NAME = "oracle";
  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final FutureDemand demand;
  private final Duration step;

  public OraclePolicy(EdgeConfig config, DemandOracle oracle) {
    this.config = config;
    this.catalog = new FleetCatalog(config);
    this.demand = new FutureDemand(config, oracle, config.scaling().tick(), catalog.longestColdBoot());
    this.step = config.scaling().tick();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decision decide(Observation obs) {
    Instant now = obs.now();
    List<FleetPlan> plans = new ArrayList<>();
    for (String region : config.regionIds()) {
      for (FleetSpec s : catalog.inRegion(region, FleetKind.RELAY)) {
        plans.add(plan(obs, s, t -> s.clamp(s.unitsFor(demand.viewers(region, t), 1.0))));
      }
      List<FleetSpec> pools = catalog.inRegion(region, FleetKind.TRANSCODE);
      for (FleetSpec s : pools) {
        plans.add(plan(obs, s, t -> FleetSizing.transcodeUnits(pools, demand.streams(region, t), 1.0).get(s.id())));
      }
      for (FleetSpec s : catalog.inRegion(region, FleetKind.SERVICE)) {
        plans.add(plan(obs, s, t -> s.clamp(s.unitsFor(demand.viewers(region, t), 1.0))));
      }
    }
    return new Decision(now, NAME, plans, Optional.empty());
  }

  private FleetPlan plan(Observation obs, FleetSpec spec, java.util.function.Function<Instant, Integer> need) {
    FleetState state = obs.fleets().get(spec.id());
    Instant now = obs.now();
    int warm = state == null ? 0 : state.warm();
    // A unit launched now serves from the first step after its boot: look that far ahead.
    int soon = highest(need, now, now.plus(wholeSteps(spec.warmBoot())));
    int later = highest(need, now, now.plus(wholeSteps(spec.coldBoot())));
    int target = Math.max(soon, later - warm);
    int current = state == null ? spec.min() : state.desired();
    // The group resumes pool instances first, whatever the horizon: keep the pool as large as the
    // growth ahead, a cold boot early (stopped instances cost only their volumes).
    int growth = highest(need, now, now.plus(wholeSteps(spec.coldBoot()).multipliedBy(2))) - target;
    int pool = spec.id().kind() == FleetKind.SERVICE ? 0
        : Math.max(0, Math.min(spec.max() - target, Math.max(spec.warmPoolSize(), growth)));
    return new FleetPlan(spec.id(), current, target, pool, (target == current ? "hold " : "set ")
        + spec.id() + " " + current + "→" + target + ": oracle, least capacity for the next " + spec.coldBoot().toSeconds() + "s");
  }

  private Duration wholeSteps(Duration boot) {
    long steps = (boot.toMillis() + step.toMillis() - 1) / step.toMillis();
    return step.multipliedBy(steps);
  }

  private int highest(java.util.function.Function<Instant, Integer> need, Instant from, Instant to) {
    int max = 0;
    for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
      max = Math.max(max, need.apply(t));
    }
    return Math.max(max, need.apply(to));
  }
}
