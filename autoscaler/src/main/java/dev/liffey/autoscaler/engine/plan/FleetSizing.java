package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns demand into units, the same way for every policy. Stateless. */
public final class FleetSizing {
  private FleetSizing() {}

  /**
   * The GPU groups as EC2 will run them: a type EC2 has reported no capacity for
   * (InsufficientInstanceCapacity on its launches) holds what it has, in service and booting, and
   * gets no more, so the next type takes the rest, as a mixed-instances group with prioritized
   * allocation does; a group not read, or not short, as configured.
   */
  public static List<FleetSpec> asEc2RunsThem(
      List<FleetSpec> pools, Map<FleetId, FleetState> states) {
    List<FleetSpec> out = new ArrayList<>(pools.size());
    for (FleetSpec p : pools) {
      FleetState st = states.get(p.id());
      out.add(ec2HasNoMore(st) ? atMost(p, held(st)) : p);
    }
    return out;
  }

  /** Whether EC2 reports no capacity for the group's type. */
  public static boolean ec2HasNoMore(FleetState state) {
    return state != null && state.capacityShortage();
  }

  /** Instances a group holds: in service and booting (none for a group not read). */
  public static int held(FleetState state) {
    return state == null ? 0 : Math.max(0, state.inService() + state.pending());
  }

  /** The group as one that can run at most {@code instances}. */
  public static FleetSpec atMost(FleetSpec p, int instances) {
    if (instances >= p.max()) {
      return p;
    }
    return new FleetSpec(
        p.id(),
        p.unitCapacity(),
        Math.min(p.min(), instances),
        Math.min(p.max(), instances),
        p.warmPoolSize(),
        p.coldBoot(),
        p.warmBoot(),
        p.hourlyPriceUsd(),
        p.warmHourlyPriceUsd(),
        p.preference());
  }

  /**
   * Units per GPU group to carry {@code streams}: every group at least at its floor, then the
   * preferred type up to its ceiling, then the next, and so on.
   */
  public static Map<FleetId, Integer> transcodeUnits(
      List<FleetSpec> pools, double streams, double utilization) {
    List<FleetSpec> ordered =
        pools.stream().sorted(Comparator.comparingInt(FleetSpec::preference)).toList();
    Map<FleetId, Integer> units = new LinkedHashMap<>();
    double remaining = streams;
    for (FleetSpec p : ordered) {
      units.put(p.id(), p.min());
      remaining -= p.min() * p.unitCapacity() * utilization;
    }
    for (FleetSpec p : ordered) {
      if (remaining <= 0) {
        break;
      }
      int extra = Math.min(p.max() - p.min(), p.unitsFor(remaining, utilization));
      units.merge(p.id(), extra, Integer::sum);
      remaining -= extra * p.unitCapacity() * utilization;
    }
    return units;
  }
}
