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
 * @param surging demand the fleet is sized for is growing at a spike's rate now ({@link
 *     dev.liffey.autoscaler.engine.forecast.Forecast#surging}): launches still booting are kept
 *     through a dip in its forecast
 */
public record Proposal(
    FleetId fleet,
    int target,
    int scaleInTarget,
    int levelTarget,
    int warmPool,
    String why,
    boolean surging) {
  public static final double SCALE_IN_BAND = 0.93;

  /** A proposal for a fleet whose demand is not surging. */
  public Proposal(
      FleetId fleet, int target, int scaleInTarget, int levelTarget, int warmPool, String why) {
    this(fleet, target, scaleInTarget, levelTarget, warmPool, why, false);
  }
}
