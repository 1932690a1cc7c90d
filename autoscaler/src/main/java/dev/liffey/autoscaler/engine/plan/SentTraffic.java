package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RegionCounts;
import dev.liffey.autoscaler.engine.SentViewers;
import dev.liffey.core.config.EdgeConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The relays a region needs when none of its counts reached Liffey (every viewer series of the
 * region missing or stale: its agents cannot reach CloudWatch) but EC2's own count of what its
 * relays sent did ({@link Metrics#relaysSentMbps}). Without it such a region is blind: its refused
 * joins are counts too, and a crowd there goes unseen until a relay publishes again.
 *
 * <p>What the relays sent is the viewers they held, never more than their capacity: it says a
 * region is full, not by how much. So: the relays the viewers sent to need at the target
 * utilization, and, when they were full (the minute's average above halfway from the target to the
 * capacity in service), twice the relays in service. Doubling finds a crowd of unknown size in as
 * many steps as it has doublings, and never buys more than twice what it needs; capacity still
 * booting from the last doubling is not doubled again, since the minute that asked for it did not
 * see it.
 */
final class SentTraffic {
  /** The relays asked for, and why. */
  record Need(int relays, String words) {}

  private final EdgeConfig config;
  private final double utilization;

  SentTraffic(EdgeConfig config) {
    this.config = config;
    this.utilization = config.scaling().targetUtilization();
  }

  /** What {@code relay}'s region needs by its relays' traffic; empty where any count was read. */
  Optional<Need> need(Observation obs, FleetSpec relay, FleetState state) {
    String region = relay.id().region();
    OptionalDouble sent = SentViewers.of(obs, region, config);
    if (state == null || sent.isEmpty() || !RegionCounts.unheard(obs, region, config)) {
      return Optional.empty();
    }
    double viewers = sent.getAsDouble();
    boolean full =
        SentViewers.full(viewers, (double) state.inService() * relay.unitCapacity(), config);
    int relays =
        Math.max(
            relay.unitsFor(viewers, utilization),
            full ? Math.min(relay.max(), 2 * state.inService()) : 0);
    return Optional.of(
        new Need(
            relays,
            String.format(
                Locale.ROOT,
                "no count from %s's relays: they sent %,.0f viewers' worth in the minute to %s%s",
                region,
                viewers,
                obs.metrics().relaysSentMbps().get(region).at(),
                full ? " (full: twice the relays in service)" : "")));
  }
}
