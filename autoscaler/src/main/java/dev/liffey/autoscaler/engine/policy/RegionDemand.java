package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import java.time.Duration;
import java.util.List;

/**
 * Demand read off the metrics, for the AWS baselines: the one place that says which series their
 * alarms, forecasts and HPA read (the edge's {@code ConcurrentViewers} summed over the markets a region
 * serves, and the region's live streams).
 */
final class RegionDemand {
  private RegionDemand() {}

  /**
   * The region's viewers, or NaN when one of its {@code series} is missing or stale: an alarm then has
   * no datapoint (CloudWatch's INSUFFICIENT_DATA) and HPA cannot compute a recommendation, so neither
   * scales on it.
   */
  static double freshViewers(Observation obs, List<MarketRegion> series, Duration staleAfter) {
    double v = 0;
    for (MarketRegion key : series) {
      Sample s = obs.metrics().viewers().get(key);
      if (s == null || s.staleAt(obs.now(), staleAfter)) {
        return Double.NaN;
      }
      v += s.value();
    }
    return v;
  }

  /** The region's live streams, or NaN when the series is missing or stale. */
  static double freshStreams(Observation obs, String region, Duration staleAfter) {
    Sample s = obs.metrics().streams().get(region);
    return s == null || s.staleAt(obs.now(), staleAfter) ? Double.NaN : s.value();
  }
}
