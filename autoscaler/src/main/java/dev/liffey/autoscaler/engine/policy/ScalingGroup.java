package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.plan.FleetSizing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one EC2 Auto Scaling configuration scales as one: a region's relay group (capacity in
 * instances), or its GPU groups together, as a mixed-instances group with instance weights
 * (capacity in ladder slots, preferred type first). Capacities are in demand units at full
 * utilization (viewers or streams). Immutable.
 */
final class ScalingGroup {
  private final String name;
  private final String region;
  private final List<FleetSpec> specs;
  private final String unit;

  private ScalingGroup(String name, String region, List<FleetSpec> specs, String unit) {
    this.name = name;
    this.region = region;
    this.specs = List.copyOf(specs);
    this.unit = unit;
  }

  static ScalingGroup relays(FleetSpec relay) {
    return new ScalingGroup(relay.id().toString(), relay.id().region(), List.of(relay), "viewers");
  }

  static ScalingGroup transcoders(String region, List<FleetSpec> pools) {
    return new ScalingGroup("transcode " + region, region, pools, "streams");
  }

  String name() {
    return name;
  }

  String region() {
    return region;
  }

  /** {@code viewers} or {@code streams}. */
  String unit() {
    return unit;
  }

  boolean isEmpty() {
    return specs.isEmpty();
  }

  /**
   * Demand served by one capacity unit, the unit step and percentage adjustments count in: an
   * instance for a single-type group, a ladder slot (the instance weight) for the GPU groups.
   */
  double demandPerCapacityUnit() {
    return specs.size() == 1 && specs.get(0).id().kind() == FleetKind.RELAY
        ? specs.get(0).unitCapacity()
        : 1;
  }

  /** The states of this group's fleets, if every one of them was read this tick. */
  Optional<Map<FleetId, FleetState>> states(Observation obs) {
    Map<FleetId, FleetState> out = new LinkedHashMap<>();
    for (FleetSpec s : specs) {
      FleetState state = obs.fleets().get(s.id());
      if (state == null) {
        return Optional.empty();
      }
      out.put(s.id(), state);
    }
    return Optional.of(out);
  }

  /** Serving now: instances still booting (warming up) do not count, as in EC2 Auto Scaling. */
  double inServiceCapacity(Map<FleetId, FleetState> states) {
    double c = 0;
    for (FleetSpec s : specs) {
      c += (double) states.get(s.id()).inService() * s.unitCapacity();
    }
    return c;
  }

  double desiredCapacity(Map<FleetId, FleetState> states) {
    double c = 0;
    for (FleetSpec s : specs) {
      c += (double) states.get(s.id()).desired() * s.unitCapacity();
    }
    return c;
  }

  /** Whether instances launched by a scale-out are still warming up (booting). */
  boolean warming(Map<FleetId, FleetState> states) {
    return states.values().stream().anyMatch(s -> s.pending() > 0);
  }

  /**
   * Units per fleet that give {@code capacity} (demand units at full utilization), within min and
   * max; the GPU groups' capacity goes to the next type where EC2 has no more of one ({@link
   * FleetSizing#asEc2RunsThem}), as the mixed-instances group's prioritized allocation does.
   */
  Map<FleetId, Integer> unitsFor(double capacity, Map<FleetId, FleetState> states) {
    if (specs.size() == 1 && specs.get(0).id().kind() != FleetKind.TRANSCODE) {
      FleetSpec s = specs.get(0);
      return Map.of(s.id(), s.clamp(s.unitsFor(capacity, 1.0)));
    }
    return FleetSizing.transcodeUnits(FleetSizing.asEc2RunsThem(specs, states), capacity, 1.0);
  }

  List<FleetSpec> specs() {
    return specs;
  }
}
