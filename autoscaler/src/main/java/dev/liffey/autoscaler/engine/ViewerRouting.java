package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where each market's viewers go: the routed market splits by DNS weight between its candidate
 * regions; every other market goes to its preferred region (its geolocation record). Stateless.
 */
public final class ViewerRouting {
  private final EdgeConfig config;

  public ViewerRouting(EdgeConfig config) {
    this.config = config;
  }

  /** Share of {@code market}'s viewers per region (sums to 1), given the weights in effect. */
  public Map<String, Double> shares(Market market, Map<String, Integer> weights) {
    return shares(market, weights, Set.of());
  }

  /**
   * As {@link #shares(Market, Map)}, with {@code drained} regions drained: a market with a
   * geolocation record goes to the first region serving it that is not drained (on-call's drain
   * points the record there).
   */
  public Map<String, Double> shares(
      Market market, Map<String, Integer> weights, Set<String> drained) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!market.code().equals(config.routing().market())) {
      out.put(servingRegion(market, drained), 1.0);
      return out;
    }
    double total = 0;
    for (Market.ServedBy s : market.servedBy()) {
      total += Math.max(0, weights.getOrDefault(s.regionId(), 0));
    }
    for (Market.ServedBy s : market.servedBy()) {
      // Route 53 answers evenly when every weight is 0.
      double w =
          total == 0
              ? 1.0 / market.servedBy().size()
              : Math.max(0, weights.getOrDefault(s.regionId(), 0)) / total;
      out.put(s.regionId(), w);
    }
    return out;
  }

  /**
   * Where a market's geolocation record points: its first serving region not drained (its first, if
   * all are).
   */
  public static String servingRegion(Market market, Set<String> drained) {
    return market.servedBy().stream()
        .map(Market.ServedBy::regionId)
        .filter(r -> !drained.contains(r))
        .findFirst()
        .orElse(market.servedBy().get(0).regionId());
  }

  /**
   * Weights with drained regions at 0; when that leaves none above 0, every other region at 255.
   */
  public static Map<String, Integer> withoutDrained(
      Map<String, Integer> weights, Collection<String> drained) {
    Map<String, Integer> out = new LinkedHashMap<>();
    weights.forEach((r, w) -> out.put(r, drained.contains(r) ? 0 : w));
    if (out.values().stream().allMatch(w -> w == 0)) {
      out.replaceAll((r, w) -> drained.contains(r) ? 0 : 255);
    }
    return out;
  }

  /**
   * The weights that send {@code percent} of {@code market} to {@code region} and share the rest
   * evenly among its other regions: one rule for on-call's {@code route shift} and the planner that
   * keeps the pin, so a pin set by one is never "corrected" by the other.
   */
  public static Map<String, Integer> pinnedWeights(Market market, String region, int percent) {
    Map<String, Integer> out = new LinkedHashMap<>();
    long others = market.servedBy().stream().filter(s -> !s.regionId().equals(region)).count();
    for (Market.ServedBy s : market.servedBy()) {
      out.put(
          s.regionId(),
          s.regionId().equals(region)
              ? (int) Math.round(255.0 * percent / 100)
              : (int) Math.round(255.0 * (100 - percent) / 100 / Math.max(1, others)));
    }
    return out;
  }

  /** Viewers per region, given viewers per market and the weights in effect. */
  public Map<String, Double> viewersByRegion(
      Map<String, Double> viewersByMarket, Map<String, Integer> weights) {
    Map<String, Double> out = new LinkedHashMap<>();
    config.regionIds().forEach(r -> out.put(r, 0.0));
    for (Market m : config.markets()) {
      double v = viewersByMarket.getOrDefault(m.code(), 0.0);
      shares(m, weights).forEach((r, share) -> out.merge(r, v * share, Double::sum));
    }
    return out;
  }

  public EdgeConfig config() {
    return config;
  }
}
