package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The scaling policies attached to one {@link ScalingGroup} (target tracking, and maybe step
 * scaling and predictive scaling), resolved as EC2 Auto Scaling resolves several policies on one
 * group: it scales out if any policy asks for more, to the largest capacity asked for; it scales in
 * only when target tracking's scale-in alarm is in ALARM, never below what predictive scaling
 * scheduled for the hour, and not while instances launched by a scale-out are still warming up ("A
 * scale-in activity can't start while a scale-out activity is in progress"). No cooldown: EC2 Auto
 * Scaling applies cooldowns to simple scaling policies only (User Guide, "Scaling cooldowns"). Not
 * thread-safe.
 */
final class GroupScaler {
  private final ScalingGroup group;
  private final TargetTracking tracking;
  private final StepScaling steps;
  private final PredictiveScaling predictive;

  /** {@code steps} and {@code predictive} may be null: the group has no such policy. */
  GroupScaler(
      ScalingGroup group,
      TargetTracking tracking,
      StepScaling steps,
      PredictiveScaling predictive) {
    this.group = group;
    this.tracking = tracking;
    this.steps = steps;
    this.predictive = predictive;
  }

  /**
   * This tick's plans for the group's fleets; none if one of them was not read. {@code demand} NaN:
   * missing.
   */
  List<FleetPlan> decide(Observation obs, double demand) {
    Optional<Map<FleetId, FleetState>> read = group.states(obs);
    if (read.isEmpty()) {
      return List.of();
    }
    Map<FleetId, FleetState> states = read.get();
    Instant now = obs.now();
    double inService = group.inServiceCapacity(states);
    tracking.observe(now, demand, inService);
    List<CapacityRequest> out = new ArrayList<>();
    tracking.scaleOut().ifPresent(out::add);
    if (steps != null) {
      steps.observe(now, demand, inService, group.demandPerCapacityUnit()).ifPresent(out::add);
    }
    Optional<CapacityRequest> scheduled = Optional.empty();
    if (predictive != null) {
      predictive.observe(now, demand);
      scheduled = predictive.request(now);
      scheduled.ifPresent(out::add);
    }
    String context = predictive == null ? "" : "; " + predictive.status(now);
    String demandNow =
        Double.isNaN(demand)
            ? group.unit() + " metric missing or stale"
            : String.format(Locale.ROOT, "%,.0f %s", demand, group.unit());

    // Scale out: the policy asking for the largest capacity wins, if it asks for more than desired.
    Map<FleetId, Integer> best = null;
    CapacityRequest winner = null;
    for (CapacityRequest p : out) {
      Map<FleetId, Integer> next = raise(states, group.unitsFor(p.capacity(), states));
      if (!next.equals(desired(states)) && (best == null || capacity(next) > capacity(best))) {
        best = next;
        winner = p;
      }
    }
    if (winner != null) {
      boolean forecast = scheduled.isPresent() && winner == scheduled.get();
      return plans(
          states, best, winner.why() + " (now " + demandNow + ")" + (forecast ? "" : context));
    }
    Optional<CapacityRequest> in = tracking.scaleIn();
    if (in.isPresent()) {
      if (group.warming(states)) {
        return holds(
            states,
            in.get().why()
                + ", but instances are still warming up (now "
                + demandNow
                + ")"
                + context);
      }
      double floor = scheduled.map(CapacityRequest::capacity).orElse(0.0);
      String why =
          in.get().why()
              + (floor > in.get().capacity() ? ", down to predictive's capacity for the hour" : "");
      Map<FleetId, Integer> next =
          lower(states, group.unitsFor(Math.max(in.get().capacity(), floor), states));
      return plans(states, next, why + " (now " + demandNow + ")" + context);
    }
    return holds(states, tracking.status() + " (now " + demandNow + ")" + context);
  }

  private static Map<FleetId, Integer> desired(Map<FleetId, FleetState> states) {
    Map<FleetId, Integer> out = new LinkedHashMap<>();
    states.forEach((id, s) -> out.put(id, s.desired()));
    return out;
  }

  private static Map<FleetId, Integer> raise(
      Map<FleetId, FleetState> states, Map<FleetId, Integer> units) {
    Map<FleetId, Integer> out = desired(states);
    units.forEach((id, n) -> out.merge(id, n, Math::max));
    return out;
  }

  private static Map<FleetId, Integer> lower(
      Map<FleetId, FleetState> states, Map<FleetId, Integer> units) {
    Map<FleetId, Integer> out = desired(states);
    units.forEach((id, n) -> out.merge(id, n, Math::min));
    return out;
  }

  private double capacity(Map<FleetId, Integer> units) {
    double c = 0;
    for (FleetSpec s : group.specs()) {
      c += (double) units.get(s.id()) * s.unitCapacity();
    }
    return c;
  }

  private List<FleetPlan> plans(
      Map<FleetId, FleetState> states, Map<FleetId, Integer> next, String why) {
    List<FleetPlan> plans = new ArrayList<>();
    for (FleetSpec s : group.specs()) {
      FleetState state = states.get(s.id());
      int target = s.clamp(next.get(s.id()));
      int current = state.desired();
      plans.add(
          new FleetPlan(
              s.id(),
              current,
              target,
              s.warmPoolSize(),
              target == current
                  ? "hold " + s.id() + " at " + current + ": " + why
                  : (target > current ? "scale out " : "scale in ")
                      + s.id()
                      + " "
                      + current
                      + "→"
                      + target
                      + ": "
                      + why));
    }
    return plans;
  }

  private List<FleetPlan> holds(Map<FleetId, FleetState> states, String why) {
    return plans(states, desired(states), why);
  }
}
