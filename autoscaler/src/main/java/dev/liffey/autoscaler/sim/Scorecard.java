package dev.liffey.autoscaler.sim;

/**
 * How a policy did on a trace. Viewer-seconds integrate viewers over time.
 *
 * @param unservedViewerSeconds viewers who wanted to watch and could not, integrated: refused by full
 *     relays, or dropped by a relay that went away (each drop costs a rejoin); by cause in
 *     {@code unservedByCause}
 * @param servedViewerSeconds viewers a relay served, integrated
 * @param slowViewerSeconds served viewers whose edge latency was above the SLO, integrated
 * @param costUsd every fleet's running and stopped (warm pool) instances and replicas
 * @param scalingActions desired-capacity changes and routing-weight changes
 * @param peakViewers the most concurrent viewers in the trace, all markets
 * @param p95LatencyMillis edge latency p95 over every served viewer-second
 * @param unservedStreamSeconds live streams above the transcoders' in-service capacity, integrated
 * @param unservedServiceViewerSeconds viewers above each service's in-service replicas, summed over services
 * @param unservedByCause {@code unservedViewerSeconds} by cause: {@code noRelaySlot}, {@code dropped}
 * @param slowFloorViewerSeconds the slow viewer-seconds no router can avoid once sessions are sticky:
 *     viewers watching on a region when an incident made it slow, until they leave or their relay goes
 * @param botCapacityInstanceHours relay capacity bought for bots, in instance-hours: while bots try to
 *     join a region, its relay instances in service above both what it had when they came and what its
 *     verified viewers (watching, or refused by full relays) need at the target utilization (at least the
 *     group's minimum) plus the surplus over that need it already had when they came; never negative
 */
public record Scorecard(
    String policy,
    double unservedViewerSeconds,
    double servedViewerSeconds,
    double slowViewerSeconds,
    double costUsd,
    long scalingActions,
    double peakViewers,
    double p95LatencyMillis,
    double unservedStreamSeconds,
    double unservedServiceViewerSeconds,
    java.util.Map<String, Double> unservedByCause,
    double slowFloorViewerSeconds,
    double botCapacityInstanceHours) {}
