package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.Map;

/** Everything a policy sees in one tick. */
public record Observation(
    Instant now, Metrics metrics, Map<FleetId, FleetState> fleets, Map<String, Integer> weights, ControlState control) {}
