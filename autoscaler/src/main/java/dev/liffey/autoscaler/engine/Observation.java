package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Everything a policy sees in one tick.
 *
 * @param fleets the fleets read this tick; only these may be planned and acted on
 * @param unreadFleets fleets known from earlier ticks that could not be read this tick, as last
 *     known: never acted on, but their cost still counts against the budget
 */
public record Observation(
    Instant now,
    Metrics metrics,
    Map<FleetId, FleetState> fleets,
    Map<String, Integer> weights,
    ControlState control,
    Map<FleetId, FleetState> unreadFleets) {

  public Observation(
      Instant now,
      Metrics metrics,
      Map<FleetId, FleetState> fleets,
      Map<String, Integer> weights,
      ControlState control) {
    this(now, metrics, fleets, weights, control, Map.of());
  }

  /** This observation with {@code read} as its metrics (itself where they are the same). */
  public Observation withMetrics(Metrics read) {
    return read == metrics
        ? this
        : new Observation(now, read, fleets, weights, control, unreadFleets);
  }
}
