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
    int spareTranscodeSlots) {}
