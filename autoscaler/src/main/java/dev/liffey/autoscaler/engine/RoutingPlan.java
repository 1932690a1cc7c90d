package dev.liffey.autoscaler.engine;

import java.util.Map;

/** New weights for the routed market's records, and why. */
public record RoutingPlan(
    String market, Map<String, Integer> current, Map<String, Integer> target, String reason) {
  public boolean changes() {
    return !current.equals(target);
  }
}
