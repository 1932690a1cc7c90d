package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * One fleet as configured, in the units the engine plans in.
 *
 * @param unitCapacity viewers (relays, services) or streams (transcoders) one unit serves at full
 *     utilization
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
    // Added twice, not multiplied: Duration.multipliedBy goes through BigDecimal, and the guard
    // asks this of every fleet every tick.
    return warmBoot.plus(tick).plus(tick);
  }

  /**
   * How long an instance given up is worth keeping stopped in the warm pool: until what it has cost
   * stopped equals what preparing another would cost (a launch billed running through its cold
   * boot). That is the ski-rental break-even: whenever the demand comes back, keeping it that long
   * never pays more than twice what the better of keeping and refilling would have. A stop that
   * costs nothing is worth keeping for good.
   */
  public Duration keepStoppedFor() {
    if (warmHourlyPriceUsd <= 0) {
      return ChronoUnit.FOREVER.getDuration();
    }
    return Duration.ofMillis(Math.round(coldBoot.toMillis() * hourlyPriceUsd / warmHourlyPriceUsd));
  }

  /** What {@code units} running and {@code warm} stopped in the pool cost an hour. */
  public double hourlyUsd(int units, int warm) {
    return units * hourlyPriceUsd + warm * warmHourlyPriceUsd;
  }

  /** Units needed to carry {@code demand} at {@code utilization} of each unit's capacity. */
  public int unitsFor(double demand, double utilization) {
    if (demand <= 0) {
      return 0;
    }
    return (int) Math.ceil(demand / (unitCapacity * utilization) - 1e-9);
  }
}
