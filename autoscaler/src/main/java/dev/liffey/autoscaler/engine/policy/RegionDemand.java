package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import java.time.Duration;
import java.util.List;

/**
 * Demand read off the metrics, for the AWS baselines: the one place that says which series their
 * alarms, forecasts and HPA read: the viewers a region serves, watching ({@code ConcurrentViewers})
 * plus those its full relays refused ({@code RejectedJoins}, reason full), summed over the markets
 * it serves, and the region's live streams. The refused joins are what a platform team would put in
 * its custom metric: without them a saturated fleet reads 100% and every baseline would chase a
 * crowd it cannot see (a strawman, not the strongest baseline). Never the join attempts: a platform
 * team's target tracking reads connections (viewers), which bots refused for their token never
 * reach, so a bot flood scales no baseline, as it scales nothing in AWS.
 */
final class RegionDemand {
  private RegionDemand() {}

  /**
   * The region's viewers, or NaN when one of its {@code series} is missing or stale: an alarm then
   * has no datapoint (CloudWatch's INSUFFICIENT_DATA) and HPA cannot compute a recommendation, so
   * neither scales on it.
   */
  static double freshViewers(Observation obs, List<MarketRegion> series, Duration staleAfter) {
    double v = 0;
    for (MarketRegion key : series) {
      Sample s = obs.metrics().viewers().get(key);
      if (s == null || s.staleAt(obs.now(), staleAfter)) {
        return Double.NaN;
      }
      v += obs.metrics().demand(key);
    }
    return v;
  }

  /** The region's live streams, or NaN when the series is missing or stale. */
  static double freshStreams(Observation obs, String region, Duration staleAfter) {
    Sample s = obs.metrics().streams().get(region);
    return s == null || s.staleAt(obs.now(), staleAfter) ? Double.NaN : s.value();
  }
}
