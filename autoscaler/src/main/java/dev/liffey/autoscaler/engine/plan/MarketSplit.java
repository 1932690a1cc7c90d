package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a market's viewers will be a horizon from now, sessions being sticky: a viewer watching
 * stays on the region it joined until it leaves, and only joins follow the weights. How fast the
 * market turns over is measured, not assumed: over the recent periods, the viewers the edge
 * admitted less those the market grew by are the viewers who left. So over a horizon as many leave
 * again (and all the market shrinks by), the rest stay where they are, and everyone else joins by
 * the join shares. A weight change thus asks its destination for the joins it will get within the
 * horizon, not for the whole market at once, and its source keeps capacity for the viewers still on
 * it.
 *
 * @param watching viewers watching on each region now (connected: those refused for full relays are
 *     joins still to land)
 * @param joinShares per region, the share of the market's joins it must be ready for
 * @param leavingPerSecond the market's viewers who left a second, their mean over the recent
 *     metrics periods; infinite where its joins could not be read: every viewer then lands by the
 *     join shares
 * @param leavingSpread how far from that mean one period's departures go at the forecast quantile
 *     (its z times their standard deviation over those periods): the periods a horizon spans add
 *     their bursts as independent draws do, so a horizon of n periods expects that much times the
 *     square root of n more (or fewer) departures than the mean says
 * @param awaitingRoom per region whose relays are taken out whatever viewers they hold (so that the
 *     viewers whose players follow the reconnect event join again by the join shares: those are not
 *     in {@code watching}), those of them the other regions' relays have no room for yet: the
 *     region keeps relays for them, and the join shares count them too, so room is made for them
 */
public record MarketSplit(
    Map<String, Double> watching,
    Map<String, Double> joinShares,
    double leavingPerSecond,
    double leavingSpread,
    Map<String, Double> awaitingRoom) {

  public MarketSplit {
    watching = Map.copyOf(watching);
    joinShares = Map.copyOf(joinShares);
    awaitingRoom = Map.copyOf(awaitingRoom);
  }

  /** A split that hands no region's viewers over. */
  public MarketSplit(
      Map<String, Double> watching,
      Map<String, Double> joinShares,
      double leavingPerSecond,
      double leavingSpread) {
    this(watching, joinShares, leavingPerSecond, leavingSpread, Map.of());
  }

  /** A split whose viewers leave at a steady rate. */
  public MarketSplit(
      Map<String, Double> watching, Map<String, Double> joinShares, double leavingPerSecond) {
    this(watching, joinShares, leavingPerSecond, 0);
  }

  /**
   * This split with regions handing their viewers over. Of the viewers watching on such a region,
   * the share whose players follow a reconnect event ({@code reconnecting}) join again by the join
   * shares, as if their sessions had turned over; the rest stay until they leave. Of those who
   * follow, only the share the other regions have room for now ({@code movable}, at most {@code
   * reconnecting}) leave its relays: it keeps relays for the others until room is made. The
   * market's departures are those of the viewers who stay put, so its rate shrinks with them.
   */
  public MarketSplit handingOver(Map<String, Double> reconnecting, Map<String, Double> movable) {
    if (reconnecting.isEmpty()) {
      return this;
    }
    double before = watchingNow();
    Map<String, Double> staying = new HashMap<>(watching);
    Map<String, Double> awaiting = new HashMap<>();
    reconnecting.forEach(
        (r, share) -> {
          double on = watching.getOrDefault(r, 0.0);
          staying.put(r, on * (1 - share));
          awaiting.put(r, on * Math.max(0, share - movable.getOrDefault(r, 0.0)));
        });
    double after = staying.values().stream().mapToDouble(Double::doubleValue).sum();
    double kept = before > 0 ? after / before : 1;
    double leaving =
        Double.isInfinite(leavingPerSecond) ? leavingPerSecond : leavingPerSecond * kept;
    return new MarketSplit(staying, joinShares, leaving, leavingSpread * kept, awaiting);
  }

  /** Whether {@code region}'s relays are taken out whatever viewers they hold. */
  public boolean handsOver(String region) {
    return awaitingRoom.containsKey(region);
  }

  /**
   * Viewers {@code region} must carry {@code horizon} from now when the market totals {@code total}
   * then: its share of those who stay, and its share of the joins. The departures are taken at the
   * forecast quantile in the direction that asks more of the region: more of them where the region
   * takes at least its share of the watchers in joins (the weights give it joins: every viewer who
   * leaves is replaced there in part), fewer where it takes less (the weights take joins from it:
   * those who stay are its load, and counting on them leaving fast sized it below the viewers it
   * had, so a surge of another of its markets found it short).
   */
  public double viewers(String region, double total, Duration horizon) {
    double now = watchingNow();
    return viewers(region, total, horizon, now, gainsByLeaving(region, now));
  }

  /**
   * {@link #viewers} with the departures at their upper quantile whatever the region: the least a
   * region whose joins the weights take keeps for the viewers still on it, and so the most room its
   * relays could have left for joins.
   */
  public double viewersLeavingFast(String region, double total, Duration horizon) {
    return viewers(region, total, horizon, watchingNow(), true);
  }

  private double viewers(
      String region, double total, Duration horizon, double now, boolean manyLeave) {
    double seconds = horizon.toMillis() / 1000.0;
    double spread = leavingSpread * Math.sqrt(seconds / (Metrics.PERIOD.toMillis() / 1000.0));
    double turnover =
        Double.isInfinite(leavingPerSecond)
            ? Double.POSITIVE_INFINITY
            : Math.max(0, leavingPerSecond * seconds + (manyLeave ? spread : -spread));
    // Those who leave as the market turns over, and all it shrinks by.
    double leaving = Math.min(now, turnover + Math.max(0, now - total));
    double staying = now - leaving;
    double here = watching.getOrDefault(region, 0.0) + awaitingRoom.getOrDefault(region, 0.0);
    double stay = here * (now > 0 ? staying / now : 1);
    return stay + viewersAllTurnedOver(region, total - staying);
  }

  /**
   * Whether more departures ask more of {@code region}: they do where its share of the joins is at
   * least its share of the viewers watching (each one who leaves is replaced there by that share of
   * a join, and takes away that share of a stay).
   */
  private boolean gainsByLeaving(String region, double now) {
    return now <= 0
        || joinShares.getOrDefault(region, 0.0) >= watching.getOrDefault(region, 0.0) / now;
  }

  /** The market's viewers watching now, on every region. */
  private double watchingNow() {
    double now = 0;
    for (double v : watching.values()) {
      now += v;
    }
    return now;
  }

  /**
   * Viewers {@code region} must carry when {@code total} of the market's viewers land by the join
   * shares: its share of them, as if every session had turned over.
   */
  public double viewersAllTurnedOver(String region, double total) {
    return Math.max(0, total) * joinShares.getOrDefault(region, 0.0);
  }
}
