package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetId;

/**
 * What the planner would like for one fleet, before the guard, and why.
 *
 * @param target units for the forecast at the target utilization (scale out when above current)
 * @param scaleInTarget units for the forecast at {@link #SCALE_IN_BAND} of the target utilization:
 *     a fleet scales in only when even this is below what it has, so noise cannot flap it
 * @param levelTarget units for the demand observed now, in the same band; what scale-in
 *     stabilization remembers, so one high forecast cannot hold capacity for a whole window
 */
public record Proposal(
    FleetId fleet, int target, int scaleInTarget, int levelTarget, int warmPool, String why) {
  public static final double SCALE_IN_BAND = 0.93;
}
