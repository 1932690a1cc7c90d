package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Viewers refused a slot early in a period and admitted later in it. The edge counts them twice: in
 * {@code RejectedJoins{full}} (a distinct client refused in the period) and in {@code
 * ConcurrentViewers} at its end. No agent can tell, since a refused viewer tries again after 2 s
 * ({@code Retry-After}) through the load balancer, on any relay. Read as they are, a crowd that
 * capacity catches up with mid-period looks up to a third larger than it is, and the spike forecast
 * extrapolates that. A region's viewers can grow past the room it had when the period began only
 * into slots that came (relays arriving) or freed (sessions ending) during it, so at most that many
 * of the refused got in: they are taken out of its refused count, each market's in proportion.
 * Fresh joins may have taken some of those slots, so this can take out a few too many; it takes out
 * nothing where the period before is not known. Not thread-safe; one per policy.
 */
final class LateAdmissions {
  /** A region's period read: when it began, and its viewers at its end. */
  private record Period(Instant start, double viewers) {}

  private final EdgeConfig config;
  private final Map<String, Period> current = new HashMap<>();
  private final Map<String, Period> previous = new HashMap<>();

  LateAdmissions(EdgeConfig config) {
    this.config = config;
  }

  /**
   * {@code metrics} with each region's late admissions taken out of its refused joins.
   *
   * @param relaysThroughout the fewest relays a region had in service from a time until now; null
   *     where not known
   */
  Metrics withoutLateAdmissions(
      Metrics metrics, BiFunction<String, Instant, Integer> relaysThroughout) {
    Map<String, Double> late = new HashMap<>();
    metrics
        .relaysReporting()
        .forEach(
            (region, reporting) -> {
              Instant start = reporting.at();
              double viewers = metrics.viewersIn(region);
              Period now = current.get(region);
              if (now == null || !now.start().equals(start)) {
                if (now != null) {
                  previous.put(region, now);
                }
                current.put(region, new Period(start, viewers));
              }
              Period before = previous.get(region);
              if (before == null || !before.start().plus(Metrics.PERIOD).equals(start)) {
                return;
              }
              Integer relays = relaysThroughout.apply(region, start);
              if (relays == null) {
                return;
              }
              double room =
                  Math.max(
                      0,
                      relays * config.region(region).relay().viewersPerInstance()
                          - before.viewers());
              double beyond = viewers - before.viewers() - room;
              if (beyond > 0) {
                late.put(region, beyond);
              }
            });
    return late.isEmpty() ? metrics : metrics.withRefusedAdmittedLater(late);
  }
}
