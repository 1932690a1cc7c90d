package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tick's decision: a plan for every fleet, maybe new routing weights, and the ladders each
 * region's streams get (policies that shorten none make no ladder plans), each with its reason. The
 * CLI, the audit log and the tests all read these same words.
 */
public record Decision(
    Instant at,
    String policy,
    List<FleetPlan> fleets,
    Optional<RoutingPlan> routing,
    Map<String, ForecastPoint> forecasts,
    List<LadderPlan> ladders) {

  public Decision(
      Instant at, String policy, List<FleetPlan> fleets, Optional<RoutingPlan> routing) {
    this(at, policy, fleets, routing, Map.of(), List.of());
  }

  public Decision(
      Instant at,
      String policy,
      List<FleetPlan> fleets,
      Optional<RoutingPlan> routing,
      Map<String, ForecastPoint> forecasts) {
    this(at, policy, fleets, routing, forecasts, List.of());
  }

  /**
   * A market's viewers as observed now and as forecast for {@code horizon} ahead (the shortest boot
   * horizon the plan used), for comparing forecasts with what happened.
   */
  public record ForecastPoint(double observedViewers, double forecastViewers, Duration horizon) {}

  public List<FleetPlan> changes() {
    return fleets.stream().filter(FleetPlan::changes).toList();
  }

  public boolean changesAnything() {
    return !changes().isEmpty()
        || routing.map(RoutingPlan::changes).orElse(false)
        || ladders.stream().anyMatch(LadderPlan::changes);
  }

  /** The reasons of what changes, one a line ({@code scale out relay eu-west-1 4→9: ...}). */
  public List<String> reasons() {
    List<String> out = new ArrayList<>();
    changes().forEach(p -> out.add(p.reason()));
    routing.filter(RoutingPlan::changes).ifPresent(r -> out.add(r.reason()));
    ladders.stream().filter(LadderPlan::changes).forEach(l -> out.add(l.reason()));
    return out;
  }

  public String summary() {
    List<String> reasons = reasons();
    return reasons.isEmpty() ? "hold: every fleet fits its forecast" : String.join("; ", reasons);
  }
}
