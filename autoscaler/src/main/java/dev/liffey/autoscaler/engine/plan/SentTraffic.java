package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RegionCounts;
import dev.liffey.autoscaler.engine.SentViewers;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>A minute's average is the level at its middle. When it rose from the minute before, the rise
 * goes on at that pace (a straight line through the two middles, not compounded) until a relay
 * asked for now would be in service from the warm pool: the relays with room sent the whole demand,
 * but half a minute and the reading's lag ago. Never more than twice the relays in service either.
 */
final class SentTraffic {
  /** The relays asked for, and why. */
  record Need(int relays, String words) {}

  /** A minute's viewers as sent, stamped at the minute's end. */
  private record Minute(Instant end, double viewers) {}

  private final EdgeConfig config;
  private final double utilization;
  private final Duration tick;

  /** Per region, the last two minutes read: the newer, then the one before it. */
  private final Map<String, Minute[]> minutes = new HashMap<>();

  SentTraffic(EdgeConfig config) {
    this.config = config;
    this.utilization = config.scaling().targetUtilization();
    this.tick = config.scaling().tick();
  }

  /** What {@code relay}'s region needs by its relays' traffic; empty where any count was read. */
  Optional<Need> need(Observation obs, FleetSpec relay, FleetState state) {
    String region = relay.id().region();
    OptionalDouble sent = SentViewers.of(obs, region, config);
    if (sent.isEmpty()) {
      return Optional.empty();
    }
    double viewers = sent.getAsDouble();
    Instant end = obs.metrics().relaysSentMbps().get(region).at();
    Minute[] last = remember(region, end, viewers);
    if (state == null || !RegionCounts.unheard(obs, region, config)) {
      return Optional.empty();
    }
    boolean full =
        SentViewers.full(viewers, (double) state.inService() * relay.unitCapacity(), config);
    int doubled = Math.min(relay.max(), 2 * state.inService());
    double rising = rising(last, obs.now(), relay);
    int relays =
        Math.max(
            Math.max(relay.unitsFor(viewers, utilization), full ? doubled : 0),
            rising > viewers ? Math.min(doubled, relay.unitsFor(rising, utilization)) : 0);
    return Optional.of(
        new Need(
            relays,
            String.format(
                Locale.ROOT,
                "no count from %s's relays: they sent %,.0f viewers' worth in the minute to %s%s",
                region,
                viewers,
                end,
                full
                    ? " (full: twice the relays in service)"
                    : rising > viewers
                        ? String.format(
                            Locale.ROOT,
                            ", up %,.0f on the minute before: %,.0f once a relay from the pool is"
                                + " in service",
                            viewers - last[1].viewers(),
                            rising)
                        : "")));
  }

  /**
   * The last two distinct minutes read for {@code region}, the one ending at {@code end} among
   * them.
   */
  private Minute[] remember(String region, Instant end, double viewers) {
    Minute[] last = minutes.computeIfAbsent(region, r -> new Minute[2]);
    if (last[0] == null || end.isAfter(last[0].end())) {
      last[1] = last[0];
      last[0] = new Minute(end, viewers);
    }
    return last;
  }

  /**
   * Where a rise from the minute before to the last one reaches by the time a relay resumed now is
   * in service; the last minute's viewers where they did not rise or the minutes are not adjacent.
   */
  private double rising(Minute[] last, Instant now, FleetSpec relay) {
    Minute newer = last[0];
    Minute older = last[1];
    double minute = Metrics.SENT_PERIOD.toMillis() / 1000.0;
    if (older == null
        || !Duration.between(older.end(), newer.end()).equals(Metrics.SENT_PERIOD)
        || newer.viewers() <= older.viewers()) {
      return newer.viewers();
    }
    double perSecond = (newer.viewers() - older.viewers()) / minute;
    double fromMiddle =
        minute / 2
            + Math.max(0, Duration.between(newer.end(), now).toMillis() / 1000.0)
            + (relay.warmBoot().plus(tick).toMillis() / 1000.0);
    return newer.viewers() + perSecond * fromMiddle;
  }
}
