package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.plan.RoutingPlanner;
import dev.liffey.core.config.EdgeConfig;
import java.util.Optional;

/**
 * A baseline's capacity decisions with Liffey's router steering the routed market's joins: scored
 * beside the same baseline with fixed weights it shows what routing alone buys, and Liffey against
 * it what capacity buys. Keeps the baseline's name; one instance per run (the router keeps
 * history).
 */
public final class WithLiffeyRouting implements ScalingPolicy {
  private final ScalingPolicy capacity;
  private final RoutingPlanner routing;

  public WithLiffeyRouting(EdgeConfig config, ScalingPolicy capacity) {
    this.capacity = capacity;
    this.routing = RoutingPlanner.overCapacityDecidedElsewhere(config);
  }

  @Override
  public String name() {
    return capacity.name();
  }

  @Override
  public Decision decide(Observation obs) {
    Decision d = capacity.decide(obs);
    return new Decision(
        d.at(), d.policy(), d.fleets(), Optional.of(routing.plan(obs)), d.forecasts());
  }
}
