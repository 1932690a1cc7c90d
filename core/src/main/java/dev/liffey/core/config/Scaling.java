package dev.liffey.core.config;

import java.time.Duration;

/**
 * The autoscaler's knobs.
 *
 * @param tick how often the control loop runs
 * @param targetUtilization the share of a unit's capacity planned for (0-1]
 * @param forecastQuantile the upper quantile of the demand forecast planned on
 * @param scaleInStabilization how long demand must stay low before capacity is removed
 * @param maxScaleInPercentPerMinute the most capacity removed in one minute, as a percentage
 * @param staleAfter metrics older than this count as missing (and block scale-in)
 * @param latencySloMillis edge latency p95 above which a viewer is counted as slow
 * @param budgetUsdPerHour the most the fleets may cost per hour, all regions together
 * @param spareTranscodeSlots the fewest free ladder slots a region keeps beyond its forecast; the
 *     planner keeps more while streams are going live
 * @param maxSurgeFactor the most a surge is planned to grow over one fleet's boot horizon, as a
 *     multiple of the demand seen now: how much of a spike's possible overshoot is bought ahead.
 *     Not physics (a spike's own rate, extrapolated, knows no end short of the fleets' ceilings)
 *     but a trade of cost against viewers an operator makes; the README measures it both ways
 */
public record Scaling(
    Duration tick,
    double targetUtilization,
    double forecastQuantile,
    Duration scaleInStabilization,
    int maxScaleInPercentPerMinute,
    Duration staleAfter,
    int latencySloMillis,
    double budgetUsdPerHour,
    int spareTranscodeSlots,
    double maxSurgeFactor) {
  /** {@code maxSurgeFactor} when the file leaves it out. */
  public static final double DEFAULT_MAX_SURGE_FACTOR = 10;

  /**
   * Below this share of the SLO an edge latency p95 counts as calm: the band that keeps a region
   * the router moved viewers off from taking them back at the first good reading, and the latency a
   * relay's viewers may reach before the edge stops packing more onto it.
   */
  public static final double CALM_SHARE = 0.8;

  /** The calm band's top, in ms: {@link #CALM_SHARE} of the SLO. */
  public double calmLatencyMillis() {
    return CALM_SHARE * latencySloMillis;
  }
}
