package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One tick of the control loop: sense, decide, record, act. The audit record is written before any
 * actuation; if writing it fails, the exception propagates and nothing is acted on. With
 * {@code dryRun} it decides and records but never actuates. Not thread-safe: one loop, one thread.
 */
public final class ControlLoop {
  private final ScalingPolicy policy;
  private final MetricsSource metrics;
  private final FleetActuator fleetActuator;
  private final WorkloadActuator workloadActuator;
  private final RoutingActuator routingActuator;
  private final ControlStore controlStore;
  private final Clock clock;
  private final boolean dryRun;

  public ControlLoop(ScalingPolicy policy, MetricsSource metrics, FleetActuator fleetActuator,
      WorkloadActuator workloadActuator, RoutingActuator routingActuator, ControlStore controlStore, Clock clock,
      boolean dryRun) {
    this.policy = policy;
    this.metrics = metrics;
    this.fleetActuator = fleetActuator;
    this.workloadActuator = workloadActuator;
    this.routingActuator = routingActuator;
    this.controlStore = controlStore;
    this.clock = clock;
    this.dryRun = dryRun;
  }

  /** What the policy decides now, sensing as a tick does; nothing is recorded or changed (on-call's plan). */
  public Decision plan() {
    return policy.decide(sense());
  }

  /** Sense, decide, record (before acting), act. */
  public Decision tick() {
    Observation observation = sense();
    Instant now = observation.now();
    Map<FleetId, FleetState> fleets = observation.fleets();
    Decision decision = policy.decide(observation);

    if (decision.changesAnything()) {
      controlStore.audit(new AuditRecord(now, "liffey-autoscaler (" + policy.name() + ")",
          dryRun ? "plan (dry run)" : "scale", decision.summary(), describe(decision, true), describe(decision, false)));
    }
    if (!dryRun) {
      act(decision, fleets);
      if (!decision.changes().isEmpty()) {
        controlStore.recordActions(decision);
      }
    }
    return decision;
  }

  private Observation sense() {
    Instant now = clock.now();
    ControlState control = controlStore.read();
    Metrics sensed = metrics.read();
    Map<FleetId, FleetState> fleets = new TreeMap<>();
    fleetActuator.fleets().forEach(f -> fleets.put(f.id(), f));
    workloadActuator.services().forEach(f -> fleets.put(f.id(), f));
    return new Observation(now, sensed, fleets, routingActuator.weights(), control);
  }

  private void act(Decision decision, Map<FleetId, FleetState> fleets) {
    for (FleetPlan plan : decision.fleets()) {
      FleetState state = fleets.get(plan.fleet());
      boolean poolChanges = state != null && plan.fleet().kind() != FleetKind.SERVICE
          && plan.warmPool() != state.warmPoolSize();
      if (!plan.changes() && !poolChanges) {
        continue;
      }
      if (plan.fleet().kind() == FleetKind.SERVICE) {
        workloadActuator.setReplicas(plan.fleet(), plan.target());
      } else {
        fleetActuator.setCapacity(plan.fleet(), plan.target(), plan.warmPool());
      }
    }
    decision.routing().filter(RoutingPlan::changes).ifPresent(r -> routingActuator.setWeights(r.target()));
  }

  private static String describe(Decision d, boolean before) {
    String fleets = d.changes().stream()
        .map(p -> p.fleet() + "=" + (before ? p.current() : p.target()))
        .collect(Collectors.joining(", "));
    String routing = d.routing().filter(RoutingPlan::changes)
        .map(r -> "weights " + (before ? r.current() : r.target())).orElse("");
    return fleets.isEmpty() ? routing : routing.isEmpty() ? fleets : fleets + ", " + routing;
  }
}
