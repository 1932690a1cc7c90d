package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every market's viewers as WebRTC sessions, as a real edge holds them. A viewer who is watching
 * stays on the region that admitted it until the session ends (sessions end at random, as long on
 * average as the trace's sessions and as widely spread: {@link SessionLength}, its two phases kept
 * apart) or its relay goes away; only viewers who join follow the DNS weights in force. A region
 * admits joins only while its relays in service have free slots; the rest are refused and try
 * again. So a weight change moves viewers only as sessions turn over, a saturated region reports as
 * many viewers as it can hold (and the refused joins beside them), and capacity removed under
 * viewers drops them. A refused viewer tries again where it was refused: its player posts to the
 * same name, which its resolver answers from cache (and its connection to that region's load
 * balancer stays open) until the answer expires, the records' TTL on average (taken as memoryless);
 * then it resolves again by the weights in force. So viewers a full region refuses reach another
 * region's free slots over minutes, not in one retry, and a weight change reaches them only as
 * their answers expire. Bots (join attempts with tokens no relay can verify) go where the weights
 * send joins too; each relay refuses them as unverified before it looks for a slot, so they never
 * take one and never displace a viewer. Not thread-safe.
 */
final class Audience {
  /**
   * Viewers are fractions here; what is left of a sum of products below this is rounding, not a
   * viewer.
   */
  static final double ROUNDING = 1e-6;

  private final EdgeConfig config;
  private final ViewerRouting routing;
  // Per market-region, its viewers in each session phase (SessionLength.PHASES).
  private final Map<MarketRegion, double[]> connected = new HashMap<>();
  private final Map<MarketRegion, Double> attempts = new HashMap<>();
  private final Map<MarketRegion, Double> refused = new HashMap<>();
  private final Map<MarketRegion, Double> unverified = new HashMap<>();
  // Viewers refused in the last step, per market and the region that refused them: they retry it
  // until their cached answer expires.
  private final Map<MarketRegion, Double> retrying = new HashMap<>();
  private final double answerSeconds;
  // Viewers who were watching on a market-region when an incident added latency there (not load):
  // no
  // router can move them; they suffer it until they leave or their relay goes.
  private final Map<MarketRegion, double[]> stuck = new HashMap<>();

  /**
   * What one step did: viewers wanting to watch who were not, sessions cut by lost capacity, the
   * share of each region's viewers still watching, and the viewers who left each region's draining
   * relays for a relay that admitted them.
   */
  record Step(
      double waiting,
      double dropped,
      Map<String, Double> retained,
      Map<String, Double> reconnected) {
    /** The share of {@code region}'s viewers (after any cut) still watching after the step. */
    double retained(String region) {
      return retained.getOrDefault(region, 1.0);
    }
  }

  Audience(EdgeConfig config) {
    this.config = config;
    this.routing = new ViewerRouting(config);
    this.answerSeconds = config.routing().ttlSeconds();
  }

  /**
   * Everyone watching, where the weights send them, as far as each region's capacity holds them.
   */
  void settle(
      Map<String, Double> demand, Map<String, Double> capacity, Map<String, Integer> weights) {
    connected.clear();
    retrying.clear();
    step(demand, capacity, Map.of(), Map.of(), Map.of(), weights, 0, Map.of());
  }

  /**
   * One step of {@code seconds}: relays that went cut their viewers' sessions, sessions end (the
   * audience shrinks, or viewers turn over, each market's as its {@code sessions} have them), then
   * everyone who wants to watch and is not tries to join (by the weights in force, or where they
   * were refused while their cached answer holds), and the free slots of the relays in service
   * admit whom they can. Viewers on draining relays stay there and take no slot in service, but for
   * those whose players follow the relay's reconnect event: they join again by the weights in force
   * (their answers long expired), beside the joins, and move where a relay admits them, keeping the
   * old session until then (make-before-break: refused, they watch on and try again).
   *
   * @param demand viewers who want to watch, per market
   * @param admit viewers each region's relays in service can hold: joins are admitted up to it
   * @param draining viewers on each region's draining relays as the step begins
   * @param reconnecting of those, the viewers whose players look for another relay
   * @param cut viewers on each region's relays that went since the last step: dropped, they join
   *     again
   * @param sessions per market; a market absent never turns over
   */
  Step step(
      Map<String, Double> demand,
      Map<String, Double> admit,
      Map<String, Double> draining,
      Map<String, Double> reconnecting,
      Map<String, Double> cut,
      Map<String, Integer> weights,
      double seconds,
      Map<String, SessionLength> sessions) {
    double dropped = 0;
    Map<String, Double> load = loadByRegion();
    for (String region : config.regionIds()) {
      double on = load.get(region);
      double lost = Math.min(on, cut.getOrDefault(region, 0.0));
      if (lost > 0) {
        scaleRegion(region, (on - lost) / on);
        dropped += lost;
      }
    }
    Map<String, Double> before = loadByRegion();
    for (Market m : config.markets()) {
      SessionLength session = sessions.get(m.code());
      double watching = watching(m.code());
      double wanted = demand.getOrDefault(m.code(), 0.0);
      double shrink = watching > wanted ? wanted / watching : 1;
      // Each phase's sessions end at its own constant rate: the share still going after a step.
      double[] stay = new double[SessionLength.PHASES];
      for (int p = 0; p < stay.length; p++) {
        stay[p] = shrink * (session == null ? 1 : Math.exp(-seconds / session.phaseMeanSeconds(p)));
      }
      scale(connected, k -> k.market().equals(m.code()), stay);
      scale(stuck, k -> k.market().equals(m.code()), stay);
    }
    load = loadByRegion();
    Map<String, Double> retained = new HashMap<>();
    Map<String, Double> inService = new HashMap<>();
    for (String region : config.regionIds()) {
      double was = before.get(region);
      double share = was > 0 ? load.get(region) / was : 1;
      retained.put(region, share);
      double onDrains = Math.min(load.get(region), draining.getOrDefault(region, 0.0) * share);
      double held = admit.getOrDefault(region, 0.0);
      double on = load.get(region) - onDrains;
      if (on > held) {
        // Relays in service hold no more than their slots: capacity that went at once drops the
        // rest.
        double keep = (held + onDrains) / load.get(region);
        scaleRegion(region, keep);
        dropped += on - held;
        on = held;
      }
      inService.put(region, on);
    }
    attempts.clear();
    refused.clear();
    Map<String, Double> asking = new HashMap<>();
    double expired = answerSeconds > 0 ? 1 - Math.exp(-seconds / answerSeconds) : 1;
    for (Market m : config.markets()) {
      double joining = Math.max(0, demand.getOrDefault(m.code(), 0.0) - watching(m.code()));
      Map<String, Double> retry = retryingOf(m.code(), joining, expired);
      double resolving =
          Math.max(0, joining - retry.values().stream().mapToDouble(Double::doubleValue).sum());
      Map<String, Double> shares = routing.shares(m, weights);
      for (String region : config.regionIds()) {
        double trying =
            retry.getOrDefault(region, 0.0) + resolving * shares.getOrDefault(region, 0.0);
        if (trying > 0) {
          attempts.put(new MarketRegion(m.code(), region), trying);
          asking.merge(region, trying, Double::sum);
        }
      }
    }
    List<Move> moves = reconnects(reconnecting, retained, load, weights);
    moves.forEach(mv -> asking.merge(mv.to().region(), mv.viewers(), Double::sum));
    Map<String, Double> fill = new HashMap<>();
    asking.forEach(
        (region, n) -> {
          double free = Math.max(0, admit.getOrDefault(region, 0.0) - inService.get(region));
          fill.put(region, Math.min(1, free / n));
        });
    retrying.clear();
    for (Map.Entry<MarketRegion, Double> a : attempts.entrySet()) {
      double admitted = a.getValue() * fill.get(a.getKey().region());
      admit(a.getKey(), admitted, sessions.get(a.getKey().market()));
      if (a.getValue() > admitted) {
        refused.put(a.getKey(), a.getValue() - admitted);
        retrying.put(a.getKey(), a.getValue() - admitted);
      }
    }
    Map<String, Double> reconnected = new HashMap<>();
    for (Move mv : moves) {
      double admitted = mv.viewers() * fill.get(mv.to().region());
      attempts.merge(mv.to(), mv.viewers(), Double::sum);
      if (mv.viewers() > admitted) {
        refused.merge(mv.to(), mv.viewers() - admitted, Double::sum);
      }
      move(mv.from(), mv.to(), admitted);
      reconnected.merge(mv.from().region(), admitted, Double::sum);
    }
    double waiting = 0;
    for (Market m : config.markets()) {
      double left = demand.getOrDefault(m.code(), 0.0) - watching(m.code());
      waiting += left > ROUNDING ? left : 0;
    }
    return new Step(waiting, dropped > ROUNDING ? dropped : 0, retained, reconnected);
  }

  /** Viewers of a market-region who reconnect, and the market-region a join of theirs tries. */
  private record Move(MarketRegion from, MarketRegion to, double viewers) {}

  /**
   * Where the viewers who reconnect from each region's draining relays try to join: each market's
   * share of them is its share of the region's viewers (a relay holds the region's mix), and they
   * go by the weights in force, back to the same region's relays in service too.
   */
  private List<Move> reconnects(
      Map<String, Double> reconnecting,
      Map<String, Double> retained,
      Map<String, Double> load,
      Map<String, Integer> weights) {
    List<Move> out = new ArrayList<>();
    reconnecting.forEach(
        (region, looking) -> {
          double on = load.get(region);
          double moving = Math.min(on, looking * retained.getOrDefault(region, 1.0));
          if (moving <= ROUNDING) {
            return;
          }
          for (Market m : config.markets()) {
            MarketRegion from = new MarketRegion(m.code(), region);
            double viewers = moving * connected(from) / on;
            if (viewers <= ROUNDING) {
              continue;
            }
            routing
                .shares(m, weights)
                .forEach(
                    (to, share) -> {
                      if (viewers * share > ROUNDING) {
                        out.add(new Move(from, new MarketRegion(m.code(), to), viewers * share));
                      }
                    });
          }
        });
    return out;
  }

  /**
   * Moves {@code viewers} of {@code from}'s sessions to {@code to}, each phase its share: a session
   * that moves relays goes on as long as it would have. Those who were there when an incident began
   * leave with them, in proportion.
   */
  private void move(MarketRegion from, MarketRegion to, double viewers) {
    double on = connected(from);
    if (from.equals(to) || viewers <= 0 || on <= 0) {
      return;
    }
    double share = Math.min(1, viewers / on);
    double[] source = connected.get(from);
    double[] target = connected.computeIfAbsent(to, k -> new double[SessionLength.PHASES]);
    for (int p = 0; p < source.length; p++) {
      target[p] += source[p] * share;
      source[p] -= source[p] * share;
    }
    double[] stuckThere = stuck.get(from);
    if (stuckThere != null) {
      for (int p = 0; p < stuckThere.length; p++) {
        stuckThere[p] *= 1 - share;
      }
    }
  }

  /**
   * The viewers of {@code market} who retry the region that refused them in the last step, per
   * region: no more than {@code joining} (fewer wanting to watch: those waiting give up alike),
   * less the {@code expired} share whose cached answer ran out and who resolve again.
   */
  private Map<String, Double> retryingOf(String market, double joining, double expired) {
    double waiting = 0;
    for (Map.Entry<MarketRegion, Double> e : retrying.entrySet()) {
      if (e.getKey().market().equals(market)) {
        waiting += e.getValue();
      }
    }
    double stay = (waiting > joining ? joining / waiting : 1) * (1 - expired);
    Map<String, Double> out = new HashMap<>();
    retrying.forEach(
        (k, v) -> {
          if (k.market().equals(market) && v * stay > ROUNDING) {
            out.put(k.region(), v * stay);
          }
        });
    return out;
  }

  /**
   * Adds {@code viewers} who just joined {@code key}: their sessions start in each phase by its
   * share of sessions started. Without sessions (settling an audience that has watched for long, or
   * a market that never turns over), as an audience that has watched for long holds them.
   */
  private void admit(MarketRegion key, double viewers, SessionLength session) {
    double[] phases = connected.computeIfAbsent(key, k -> new double[SessionLength.PHASES]);
    for (int p = 0; p < phases.length; p++) {
      phases[p] +=
          viewers * (session == null ? SessionLength.steadyShare(p) : session.startShare(p));
    }
  }

  /** Keeps {@code share} of every session on {@code region}. */
  private void scaleRegion(String region, double share) {
    double[] each = new double[SessionLength.PHASES];
    Arrays.fill(each, share);
    scale(connected, k -> k.region().equals(region), each);
    scale(stuck, k -> k.region().equals(region), each);
  }

  /** Keeps {@code share[p]} of phase p's viewers on every market-region {@code which} takes. */
  private static void scale(
      Map<MarketRegion, double[]> viewers, Predicate<MarketRegion> which, double[] share) {
    viewers.forEach(
        (k, phases) -> {
          if (which.test(k)) {
            for (int p = 0; p < phases.length; p++) {
              phases[p] *= share[p];
            }
          }
        });
  }

  private static double sum(double[] phases) {
    double sum = 0;
    for (double v : phases) {
      sum += v;
    }
    return sum;
  }

  /**
   * This step's bots, per market (bot clients trying to join, each counted once a step), spread
   * over the regions by the weights in force as joins are: every one is refused as unverified.
   */
  void bots(Map<String, Double> botsByMarket, Map<String, Integer> weights) {
    unverified.clear();
    for (Market m : config.markets()) {
      double bots = botsByMarket.getOrDefault(m.code(), 0.0);
      if (bots > 0) {
        routing
            .shares(m, weights)
            .forEach(
                (region, share) -> {
                  if (bots * share > 0) {
                    unverified.put(new MarketRegion(m.code(), region), bots * share);
                  }
                });
      }
    }
  }

  /**
   * Which market-regions have latency added now for a reason no policy controls (an incident):
   * those the incident just reached take the viewers watching there as stuck; those it left forget
   * theirs.
   */
  void slow(java.util.Set<MarketRegion> slowNow) {
    stuck.keySet().retainAll(slowNow);
    for (MarketRegion k : slowNow) {
      stuck.computeIfAbsent(
          k,
          key -> {
            double[] on = connected.get(key);
            return on == null ? new double[SessionLength.PHASES] : on.clone();
          });
    }
  }

  /** Viewers on a market-region with an incident who were there when it began, and still are. */
  double stuck(MarketRegion key) {
    double[] phases = stuck.get(key);
    return phases == null ? 0 : Math.min(sum(phases), connected(key));
  }

  /** Viewers of {@code market} connected anywhere. */
  double watching(String market) {
    double sum = 0;
    for (Map.Entry<MarketRegion, double[]> e : connected.entrySet()) {
      if (e.getKey().market().equals(market)) {
        sum += sum(e.getValue());
      }
    }
    return sum;
  }

  /** Viewers connected to each region's relays. */
  Map<String, Double> loadByRegion() {
    Map<String, Double> out = new HashMap<>();
    config.regionIds().forEach(r -> out.put(r, 0.0));
    connected.forEach((k, v) -> out.merge(k.region(), sum(v), Double::sum));
    return out;
  }

  /** Viewers of {@code market} connected to {@code region}. */
  double connected(MarketRegion key) {
    double[] phases = connected.get(key);
    return phases == null ? 0 : sum(phases);
  }

  /**
   * Viewers who tried to join {@code key}'s region in the last step (admitted or not); bots apart.
   */
  double attempts(MarketRegion key) {
    return attempts.getOrDefault(key, 0.0);
  }

  /** Viewers refused a join in the last step because the region's relays were full. */
  double refused(MarketRegion key) {
    return refused.getOrDefault(key, 0.0);
  }

  /**
   * Bots that tried to join {@code key}'s region in the last step, every one refused as unverified.
   */
  double unverified(MarketRegion key) {
    return unverified.getOrDefault(key, 0.0);
  }
}
