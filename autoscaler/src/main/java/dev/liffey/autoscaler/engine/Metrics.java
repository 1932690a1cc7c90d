package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the edge reports (the {@code Liffey/Edge} metrics contract): concurrent viewers and edge
 * latency p95 per market and region, live streams per region. A series absent from a map is
 * missing; one whose sample is old is stale. Neither may ever lead to a scale-in.
 *
 * @param missing series the source asked for and did not get, for the decision's reasons
 */
public record Metrics(
    Instant at,
    Map<MarketRegion, Sample> viewers,
    Map<MarketRegion, Sample> latencyP95Millis,
    Map<String, Sample> streams,
    Set<String> missing) {}
