package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where viewers go when a region is drained or undrained: the routed market's weights (the drained
 * region at 0) and the geolocation record of every other market (its first serving region that is
 * not drained). Pure: {@link RoutingActions} reads Route 53, this decides, it writes.
 *
 * @param weights the routed market's weights to set (unchanged when it does not need to move)
 * @param geo market code to the regional name its record must point at (only those that change)
 */
public record DrainPlan(Map<String, Integer> weights, Map<String, String> geo) {

  /**
   * Moves every market off {@code region}, given what is drained already; refuses to leave a market
   * nowhere.
   */
  public static DrainPlan drain(
      EdgeConfig edge,
      String region,
      Set<String> drainedAlready,
      Map<String, Integer> weights,
      Map<String, String> geoTargets) {
    Set<String> drained = new java.util.HashSet<>(drainedAlready);
    drained.add(region);
    for (Market m : edge.markets()) {
      List<String> serving = m.servedBy().stream().map(Market.ServedBy::regionId).toList();
      if (serving.contains(region) && drained.containsAll(serving)) {
        throw new Refused(
            "cannot drain "
                + region
                + ": market "
                + m.code()
                + " would have no region left ("
                + String.join(", ", serving)
                + (serving.size() > 1 ? " are" : " is")
                + " drained); undrain one first,"
                + " or add a region to its servedBy in edge-regions.yaml");
      }
    }
    return new DrainPlan(
        ViewerRouting.withoutDrained(weights, drained), geoFor(edge, drained, geoTargets));
  }

  /**
   * Lets markets back onto {@code region}; the routed market's weights are left to the autoscaler.
   */
  public static DrainPlan undrain(
      EdgeConfig edge,
      String region,
      Set<String> drainedAlready,
      Map<String, Integer> weights,
      Map<String, String> geoTargets) {
    Set<String> drained = new java.util.HashSet<>(drainedAlready);
    drained.remove(region);
    return new DrainPlan(weights, geoFor(edge, drained, geoTargets));
  }

  private static Map<String, String> geoFor(
      EdgeConfig edge, Set<String> drained, Map<String, String> geoTargets) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Market m : edge.markets()) {
      if (m.code().equals(edge.routing().market())) {
        continue; // its record points at the weighted set, which the weights move
      }
      String name = edge.routing().regionalName(ViewerRouting.servingRegion(m, drained));
      if (!name.equals(geoTargets.get(m.code()))) {
        out.put(m.code(), name);
      }
    }
    return out;
  }
}
