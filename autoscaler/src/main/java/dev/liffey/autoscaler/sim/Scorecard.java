package dev.liffey.autoscaler.sim;

/**
 * How a policy did on a trace. Viewer-seconds integrate viewers over time.
 *
 * @param unservedViewerSeconds viewers who wanted to watch and could not, integrated: refused by
 *     full relays, dropped by a relay that went away (each drop costs a rejoin), or on a relay but
 *     watching a stream the region's GPUs could not transcode; by cause in {@code unservedByCause}
 * @param servedViewerSeconds viewers a relay served a transcoded stream, integrated
 * @param slowViewerSeconds served viewers whose edge latency was above the SLO, integrated: each
 *     step's served viewer-seconds times the share of the latency distribution above the SLO
 * @param costUsd every fleet's running and stopped (warm pool) instances and replicas: compute only
 * @param egressUsd data transferred out to viewers: served viewer-seconds x the configured bitrate,
 *     in GB (10^9 bytes), x the egress price of the region that served them
 * @param scalingActions desired-capacity changes and routing-weight changes
 * @param peakViewers the most concurrent viewers in the trace, all markets
 * @param p95LatencyMillis edge latency p95 over every served viewer-second, in whole ms (each
 *     step's viewer-seconds spread over their latency distribution)
 * @param unservedStreamSeconds live streams above the transcoders' in-service capacity, integrated
 * @param unservedServiceViewerSeconds viewers above each service's in-service replicas, summed over
 *     services
 * @param unservedByCause {@code unservedViewerSeconds} by cause: {@code noRelaySlot}, {@code
 *     dropped}, {@code streamNotTranscoded}
 * @param slowFloorViewerSeconds the slow viewer-seconds no router can avoid once sessions are
 *     sticky: viewers watching on a region when an incident added latency there, until they leave
 *     or their relay goes, each slow by the share of its latency above the SLO with no queueing at
 *     all; never above {@code slowViewerSeconds}
 * @param botCapacityInstanceHours relay capacity bought for bots, in instance-hours: the relay
 *     instance-hours the policy was billed (in service, booting, draining, refilling its pool) less
 *     those the same policy is billed on the same trace without its bots; 0 on a trace with none,
 *     never negative
 * @param degradedStreamSeconds live streams transcoded on a ladder shorter than the full one,
 *     integrated: the softer picture a policy that shortens ladders gives instead of a wait
 */
public record Scorecard(
    String policy,
    double unservedViewerSeconds,
    double servedViewerSeconds,
    double slowViewerSeconds,
    double costUsd,
    double egressUsd,
    long scalingActions,
    double peakViewers,
    double p95LatencyMillis,
    double unservedStreamSeconds,
    double unservedServiceViewerSeconds,
    java.util.Map<String, Double> unservedByCause,
    double slowFloorViewerSeconds,
    double botCapacityInstanceHours,
    double degradedStreamSeconds) {}
