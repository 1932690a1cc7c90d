package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the edge reports (the {@code Liffey/Edge} metrics contract): concurrent viewers and edge
 * latency p95 per market and region, live streams per region, and the joins each region's relays
 * saw in the last period. A series absent from the first three maps is missing; one whose sample is
 * old is stale. Neither may ever lead to a scale-in.
 *
 * @param viewers viewers connected (watching): a saturated region reports what it holds, not what
 *     was asked of it
 * @param joinAttempts distinct viewers who tried to join in the last period, admitted or not;
 *     absent where none did
 * @param rejectedJoins distinct viewers refused a join in the last period because the region's relays
 *     were full (the leading signal of a crowd larger than the capacity); absent where none were
 * @param missing series the source asked for and did not get, for the decision's reasons
 */
public record Metrics(
    Instant at,
    Map<MarketRegion, Sample> viewers,
    Map<MarketRegion, Sample> latencyP95Millis,
    Map<String, Sample> streams,
    Map<MarketRegion, Sample> joinAttempts,
    Map<MarketRegion, Sample> rejectedJoins,
    Set<String> missing) {

  /** Metrics of an edge that reports no joins. */
  public Metrics(Instant at, Map<MarketRegion, Sample> viewers, Map<MarketRegion, Sample> latencyP95Millis,
      Map<String, Sample> streams, Set<String> missing) {
    this(at, viewers, latencyP95Millis, streams, Map.of(), Map.of(), missing);
  }

  /** Viewers connected to {@code key} plus those it refused in the last period: what it was asked to carry. */
  public double demand(MarketRegion key) {
    Sample v = viewers.get(key);
    Sample r = rejectedJoins.get(key);
    return (v == null ? 0 : v.value()) + (r == null ? 0 : r.value());
  }
}
