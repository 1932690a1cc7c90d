package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.SentViewers;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a market's forecast counts for a region whose count could not be read (missing or stale: its
 * agents silent, or its CloudWatch unreachable), so that one region going unheard does not stop
 * every market it serves from being forecast: London serves Ireland, Britain and Germany, and
 * without it Dublin's and Frankfurt's spikes went unseen too.
 *
 * <p>The stand-in is the region's viewers as EC2 measured its relays sending ({@link
 * Metrics#relaysSentMbps}, fresh), shared among its markets as they were last counted there; else
 * the market's last count there. Only the forecast uses it: a scale-in still waits for every series
 * ({@code Guard}), and a region no count reached is sized on what its relays sent ({@code
 * SentTraffic}). Keeps history; one instance per policy.
 */
final class UnheardRegions {
  private final EdgeConfig config;

  /** Each market's demand in each region, as last counted fresh. */
  private final Map<MarketRegion, Double> lastCounted = new HashMap<>();

  UnheardRegions(EdgeConfig config) {
    this.config = config;
  }

  /** Remembers {@code key}'s demand, counted fresh now. */
  void counted(MarketRegion key, double demand) {
    lastCounted.put(key, demand);
  }

  /** What stands in for {@code key}'s demand now; empty where it was never counted. */
  OptionalDouble standIn(Observation obs, MarketRegion key) {
    Double last = lastCounted.get(key);
    if (last == null) {
      return OptionalDouble.empty();
    }
    OptionalDouble sent = SentViewers.of(obs, key.region(), config);
    if (sent.isEmpty()) {
      return OptionalDouble.of(last);
    }
    double regionLast = 0;
    for (Market m : config.markets()) {
      regionLast += lastCounted.getOrDefault(new MarketRegion(m.code(), key.region()), 0.0);
    }
    if (regionLast <= 0) {
      return OptionalDouble.of(last);
    }
    return OptionalDouble.of(sent.getAsDouble() * last / regionLast);
  }
}
