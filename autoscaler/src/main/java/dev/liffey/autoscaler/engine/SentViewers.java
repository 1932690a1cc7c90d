package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import java.util.OptionalDouble;

/**
 * A region's viewers as EC2 measured its relays sending ({@link Metrics#relaysSentMbps}): what is
 * left of a region none of whose counts could be read. It is what the relays held, never more than
 * their capacity, so it says how many watched and whether the relays were full, not how many were
 * refused.
 */
public final class SentViewers {
  private SentViewers() {}

  /**
   * The viewers {@code region}'s relays sent to in the last whole minute, at the configured bitrate
   * a viewer; empty where not read, or older than that minute and the staleness allowance after it.
   */
  public static OptionalDouble of(Observation obs, String region, EdgeConfig config) {
    Sample sent = obs.metrics().relaysSentMbps().get(region);
    if (sent == null
        || sent.staleAt(obs.now(), Metrics.SENT_PERIOD.plus(config.scaling().staleAfter()))) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(sent.value() / config.media().viewerBitrateMbps());
  }

  /**
   * Whether {@code viewers} fill relays of {@code capacity} viewers: above halfway from the target
   * utilization to all of it, averaged over a minute. Full relays refuse a crowd of unknown size;
   * relays with room refused no one, so what they sent is the whole demand.
   */
  public static boolean full(double viewers, double capacity, EdgeConfig config) {
    return capacity > 0 && viewers >= capacity * (1 + config.scaling().targetUtilization()) / 2;
  }
}
