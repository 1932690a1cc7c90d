package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import java.util.Map;

/** Demand read off the metrics, for the reactive baseline. */
final class RegionDemand {
  private RegionDemand() {}

  static double viewers(Observation obs, String region) {
    double v = 0;
    for (Map.Entry<MarketRegion, Sample> e : obs.metrics().viewers().entrySet()) {
      if (e.getKey().region().equals(region)) {
        v += e.getValue().value();
      }
    }
    return v;
  }

  static double streams(Observation obs, String region) {
    Sample s = obs.metrics().streams().get(region);
    return s == null ? 0 : s.value();
  }
}
