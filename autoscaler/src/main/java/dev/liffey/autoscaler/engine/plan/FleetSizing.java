package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns demand into units, the same way for every policy. Stateless. */
public final class FleetSizing {
  private FleetSizing() {}

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
