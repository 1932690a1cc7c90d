package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;

/**
 * Which of a region's viewer counts were read: one series for each market the region serves, each
 * fresh, or missing or stale.
 */
public final class RegionCounts {
  private RegionCounts() {}

  /** Whether no count of {@code region}'s viewers was read fresh: every one missing or stale. */
  public static boolean unheard(Observation obs, String region, EdgeConfig config) {
    return fresh(obs, region, config) == 0;
  }

  /** Whether every market's count of viewers in {@code region} was read fresh. */
  public static boolean allFresh(Observation obs, String region, EdgeConfig config) {
    return fresh(obs, region, config) == served(region, config);
  }

  private static int fresh(Observation obs, String region, EdgeConfig config) {
    int fresh = 0;
    for (Market m : config.markets()) {
      if (serves(m, region)) {
        Sample count = obs.metrics().viewers().get(new MarketRegion(m.code(), region));
        if (count != null && !count.staleAt(obs.now(), config.scaling().staleAfter())) {
          fresh++;
        }
      }
    }
    return fresh;
  }

  private static int served(String region, EdgeConfig config) {
    int served = 0;
    for (Market m : config.markets()) {
      if (serves(m, region)) {
        served++;
      }
    }
    return served;
  }

  private static boolean serves(Market m, String region) {
    return m.servedBy().stream().anyMatch(s -> s.regionId().equals(region));
  }
}
