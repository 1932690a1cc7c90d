package dev.liffey.autoscaler.engine;

import java.time.Duration;

/**
 * One fleet as configured, in the units the engine plans in.
 *
 * @param unitCapacity viewers (relays, services) or streams (transcoders) one unit serves at full utilization
 * @param preference for GPU groups: 0 for the preferred type, then 1, 2, ...; 0 otherwise
 */
public record FleetSpec(
    FleetId id,
    int unitCapacity,
    int min,
    int max,
    int warmPoolSize,
    Duration coldBoot,
    Duration warmBoot,
    double hourlyPriceUsd,
    double warmHourlyPriceUsd,
    int preference) {

  public int clamp(int units) {
    return Math.max(min, Math.min(max, units));
  }

  /**
   * How long capacity given up would take to come back once demand shows again: a tick for the
   * metrics to show it, a tick to act, and the warm boot.
   */
  public Duration regainTime(Duration tick) {
    return warmBoot.plus(tick.multipliedBy(2));
  }

  /** Units needed to carry {@code demand} at {@code utilization} of each unit's capacity. */
  public int unitsFor(double demand, double utilization) {
    if (demand <= 0) {
      return 0;
    }
    return (int) Math.ceil(demand / (unitCapacity * utilization) - 1e-9);
  }
}
