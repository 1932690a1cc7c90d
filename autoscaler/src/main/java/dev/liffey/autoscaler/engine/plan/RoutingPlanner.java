package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RegionCounts;
import dev.liffey.autoscaler.engine.RoutingPlan;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.autoscaler.engine.forecast.LineFit;
import dev.liffey.autoscaler.engine.forecast.Quantiles;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Scaling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Weights for the routed market (Ireland) between its candidate regions, from edge latency and
 * headroom. A drained region goes to 0 whatever else holds. A region whose p95 for the market
 * breaks the SLO is degraded and drained, unless it is slow only until relays it can launch or is
 * booting arrive, sooner than moved joins would ({@code waitingForRelays}); it is trusted again
 * only after {@link #RECOVERY} below 80% of the SLO, or, if only full relays made it slow, once its
 * relays carry it before the shift lands ({@code overloadPassed}); viewers move away from it only
 * while it breaks the SLO, and it keeps its weight while it recovers. With every region degraded,
 * joins leave those clearly slower than the least slow, if most viewers there are within the SLO;
 * else they go where the relays have room. Weights move at most {@code maxWeightShiftPerMinute} in
 * any minute, a tick's share at a time ({@link ShiftBudget}), and never send a region more viewers
 * than its relays in service can carry. Keeps per-region health between ticks; not thread-safe.
 */
public final class RoutingPlanner {
  static final Duration RECOVERY = Duration.ofMinutes(2);

  /** Below this share of the SLO a region counts as calm. */
  static final double CALM = Scaling.CALM_SHARE;

  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final ViewerRouting routing;
  private final Market market;
  private final Map<String, Integer> initial;
  private final ShiftBudget shifted;
  private final Duration steersAfter;
  private final Turnover turnover;

  /** The forecast quantile's z: how many standard errors a p95's rise must clear to count. */
  private final double z;

  private final Map<String, Instant> degradedSince = new HashMap<>();
  private final Map<String, Instant> calmSince = new HashMap<>();

  /** Since when the routed market's weight of each region at 0 has been 0. */
  private final Map<String, Instant> weightZeroSince = new HashMap<>();

  /** Regions whose latest p95 breaks the SLO (a missing or stale sample keeps what was known). */
  private final Set<String> breaching = new HashSet<>();

  /**
   * Each region's load (viewers asking for it, every market) at the last tick, when that was, and
   * the load's growth since then, viewers a second.
   */
  private final Map<String, Double> lastLoad = new HashMap<>();

  private Instant lastAt;
  private final Map<String, Double> growth = new HashMap<>();

  /**
   * The routed market's demand this tick as capacity is planned for it ({@link #marketAtQuantile}):
   * worked out once a tick, for every shift the tick weighs.
   */
  private double plannedMarket;

  /**
   * Per region, its recent p95 samples (seconds, millis), as far back as a weight change takes to
   * steer joins: the trend that says whether it will break the SLO before a shift made now lands.
   */
  private final Map<String, ArrayDeque<double[]>> p95History = new HashMap<>();

  /** Regions under the SLO whose p95 is rising over it within a shift's delay, ms a second. */
  private final Map<String, Double> heading = new HashMap<>();

  /**
   * Per degraded region that broke the SLO only while its load was past what its relays in service
   * carry at the target utilization (capacity, not an incident, made it slow): when it began.
   */
  private final Map<String, Instant> overloadedSince = new HashMap<>();

  /** Per region, its load (seconds, viewers) over the last {@code steersAfter}. */
  private final Map<String, ArrayDeque<double[]>> loadHistory = new HashMap<>();

  /** The routed market's demand (seconds, viewers) over the last {@code steersAfter}. */
  private final Map<String, ArrayDeque<double[]>> marketHistory = new HashMap<>();

  /** Regions over the SLO this tick only while the relays they wait for boot. */
  private final Set<String> waiting = new HashSet<>();

  /**
   * Per region waiting for relays, when its relays in service last grew (or the wait began), and
   * how many there were then: a wait with no relay arriving for longer than a cold boot is not one.
   */
  private final Map<String, Arrival> lastArrival = new HashMap<>();

  private record Arrival(Instant at, int inService) {}

  // The step toward the goal before headroom held it back: capacity is planned for it, so the move
  // can be made once the relays it needs are in service.
  private Map<String, Integer> wanted = Map.of();

  /**
   * Whether the capacity is planned by Liffey for the joins this router steers ({@link
   * CapacityPlanner} sizes each region for the joins of its boot horizon, every tick): then a shift
   * needs room for the joins until more capacity can come. A baseline given this router keeps its
   * own capacity decisions, which do not follow the joins, so a shift there needs room for the
   * whole share at once.
   */
  private final boolean capacityFollows;

  /** Whether the router moves weights at all (false: fixed routing, the suite's reference). */
  private final boolean shifts;

  /** Liffey's router, its capacity planned for the joins it steers. */
  public RoutingPlanner(EdgeConfig config) {
    this(config, true, true);
  }

  /**
   * The router over capacity something else decides (a baseline's): a shift needs room for the
   * whole share on the relays in service and arriving.
   */
  public static RoutingPlanner overCapacityDecidedElsewhere(EdgeConfig config) {
    return new RoutingPlanner(config, false, true);
  }

  /**
   * No router: the weights stay where they are, and Liffey's capacity is planned for where they
   * send viewers. What fixed routing serves, against which Liffey's router is judged (it must never
   * lose viewers fixed routing would have served).
   */
  public static RoutingPlanner fixed(EdgeConfig config) {
    return new RoutingPlanner(config, true, false);
  }

  private RoutingPlanner(EdgeConfig config, boolean capacityFollows, boolean shifts) {
    this.capacityFollows = capacityFollows;
    this.shifts = shifts;
    this.config = config;
    this.catalog = new FleetCatalog(config);
    this.routing = new ViewerRouting(config);
    this.market = config.market(config.routing().market()).orElseThrow();
    this.initial = config.routing().initialWeights();
    this.steersAfter = config.routing().steersAfter();
    this.turnover = new Turnover(config);
    this.z = Quantiles.normal(config.scaling().forecastQuantile());
    this.shifted =
        new ShiftBudget(config.routing().maxWeightShiftPerMinute(), config.scaling().tick());
  }

  public String market() {
    return market.code();
  }

  public RoutingPlan plan(Observation obs) {
    Map<String, Integer> current = new LinkedHashMap<>();
    market
        .servedBy()
        .forEach(s -> current.put(s.regionId(), obs.weights().getOrDefault(s.regionId(), 0)));
    noteGrowth(obs);
    updateHealth(obs);
    shifted.observe(obs.now(), current);
    current.forEach(
        (r, w) -> {
          if (w == 0) {
            weightZeroSince.putIfAbsent(r, obs.now());
          } else {
            weightZeroSince.remove(r);
          }
        });
    if (!obs.weights().keySet().containsAll(current.keySet())) {
      // The set may be the routing stack's CNAMEs or a team's own A/AAAA records: say what is
      // there, not what to deploy.
      return new RoutingPlan(
          market.code(),
          current,
          current,
          "hold "
              + market.code()
              + " weights: no weighted record "
              + config.routing().recordName()
              + " for "
              + current.keySet().stream().filter(r -> !obs.weights().containsKey(r)).toList()
              + " (found "
              + (obs.weights().isEmpty()
                  ? "none"
                  : "only " + obs.weights().keySet().stream().sorted().toList())
              + "; each region needs one whose SetIdentifier is its id)");
    }

    Optional<ControlState.Freeze> freeze = obs.control().routingFreeze(obs.now());
    if (freeze.isPresent()) {
      return new RoutingPlan(
          market.code(),
          current,
          current,
          "hold "
              + market.code()
              + " weights: frozen by "
              + freeze.get().who()
              + " ("
              + freeze.get().reason()
              + ")");
    }
    if (!shifts) {
      return new RoutingPlan(
          market.code(),
          current,
          current,
          "hold " + market.code() + " weights " + current + ": fixed routing (no router)");
    }
    Map<String, Integer> goal;
    String why;
    Optional<ControlState.RoutePin> pin = obs.control().pinFor(market.code(), obs.now());
    if (pin.isPresent()) {
      goal = ViewerRouting.pinnedWeights(market, pin.get().region(), pin.get().percent());
      why =
          "on-call pin: "
              + pin.get().percent()
              + "% to "
              + pin.get().region()
              + " ("
              + pin.get().reason()
              + ")";
    } else {
      List<String> degraded =
          market.servedBy().stream()
              .map(Market.ServedBy::regionId)
              .filter(degradedSince::containsKey)
              .toList();
      Optional<Capped> capped = degraded.isEmpty() ? underCeilings(obs) : Optional.empty();
      if (capped.isPresent()) {
        goal = capped.get().goal();
        why =
            "every region healthy: the configured weights, less what would pass a ceiling: "
                + capped.get().words();
      } else if (degraded.isEmpty()) {
        goal = new LinkedHashMap<>(initial);
        why =
            waiting.isEmpty()
                ? "every region healthy: toward the configured weights"
                : waiting.stream().sorted().toList()
                    + " over the SLO only until the relays launched there arrive, before moved"
                    + " joins would: toward the configured weights";
      } else if (degraded.size() == market.servedBy().size()) {
        Optional<String> best = lowestP95(obs);
        List<String> worse = best.map(b -> clearlySlowerThan(obs, b)).orElse(List.of());
        if (worse.isEmpty()) {
          goal = byHeadroom(obs);
          why = "every region degraded: by the viewers each can still carry";
        } else {
          // Slow everywhere is not equally slow: joins go where fewer of them will be.
          goal = awayFrom(worse);
          why =
              String.format(
                  Locale.ROOT,
                  "every region degraded: toward %s (%s ms), away from %s",
                  best.get(),
                  latencyWords(obs, best.get()),
                  worse.stream()
                      .map(r -> r + " (" + latency(obs, r) + " ms)")
                      .collect(Collectors.joining(", ")));
        }
      } else {
        // Viewers move away from a region only while it breaks the SLO; one that has stopped but is
        // not yet trusted again keeps what it has (it neither loses more nor gains any back). A p95
        // that touched the SLO once must not drain a region for the whole recovery window.
        List<String> breaking = degraded.stream().filter(breaching::contains).toList();
        goal = breaking.isEmpty() ? new LinkedHashMap<>(current) : awayFrom(breaking);
        for (String r : degraded) {
          goal.merge(r, current.get(r), Math::min);
        }
        List<String> reasons = new ArrayList<>();
        breaking.forEach(
            r ->
                reasons.add(
                    heading.containsKey(r)
                        ? String.format(
                            Locale.ROOT,
                            "%s %s ms rising %.0f ms/min: over the %d ms SLO"
                                + " before joins steered now land (%d s)",
                            r,
                            latencyWords(obs, r),
                            heading.get(r) * 60,
                            config.scaling().latencySloMillis(),
                            steersAfter.toSeconds())
                        : r
                            + " "
                            + latencyWords(obs, r)
                            + " ms > "
                            + config.scaling().latencySloMillis()
                            + " ms SLO"));
        degraded.stream()
            .filter(r -> !breaching.contains(r))
            .forEach(
                r ->
                    reasons.add(
                        r
                            + " recovering ("
                            + latencyWords(obs, r)
                            + " ms; trusted again after "
                            + RECOVERY.toSeconds()
                            + " s under "
                            + Math.round(CALM * config.scaling().latencySloMillis())
                            + " ms)"));
        why = String.join(", ", reasons);
      }
    }
    List<String> drained =
        market.servedBy().stream()
            .map(Market.ServedBy::regionId)
            .filter(r -> obs.control().drained(r))
            .toList();
    if (!drained.isEmpty() && drained.size() < market.servedBy().size()) {
      goal = ViewerRouting.withoutDrained(goal, drained);
      why =
          drained.stream()
                  .map(r -> r + " drained by " + obs.control().drainOf(r).orElseThrow().who())
                  .collect(Collectors.joining(", "))
              + "; "
              + why;
    }
    Map<String, Integer> target = step(current, goal, shifted.room(current));
    wanted = target;
    // A region whose counts were not read reads as empty, and the market as that much smaller:
    // joins moved onto it would land where nobody sees the room or the refusals, and joins moved
    // off it onto a region near its ceiling would be judged against a market too small. The
    // weights hold until every region is counted.
    Optional<String> uncounted =
        market.servedBy().stream()
            .map(Market.ServedBy::regionId)
            .filter(r -> !RegionCounts.allFresh(obs, r, config))
            .findFirst();
    target = uncounted.isPresent() ? current : withinHeadroom(obs, current, target);
    if (target.equals(current)) {
      if (uncounted.isPresent() && !wanted.equals(current)) {
        why =
            uncounted.get()
                + " not counted (its viewers' series missing or stale), so no weight moves until"
                + " it is; "
                + why;
      }
      return new RoutingPlan(
          market.code(),
          current,
          current,
          "hold " + market.code() + " weights " + current + ": " + why);
    }
    return new RoutingPlan(
        market.code(),
        current,
        target,
        "shift " + market.code() + " " + describe(current, target) + ": " + why);
  }

  /**
   * Per market, where its viewers will be while routing moves: joins by the weights set, those
   * still wanted and those resolvers act on (where the last period's joins went), sessions where
   * they are until they end.
   */
  public Map<String, MarketSplit> splitsToPlanFor(Observation obs, RoutingPlan plan) {
    Map<String, MarketSplit> out = new HashMap<>();
    java.util.Set<String> drained = obs.control().drainedRegions();
    Map<String, Double> handingOver = handingOver(obs);
    Map<String, Double> movable = movable(obs, handingOver);
    for (Market m : config.markets()) {
      Map<String, Double> shares = new HashMap<>(routing.shares(m, plan.target(), drained));
      routing.shares(m, plan.current(), drained).forEach((r, s) -> shares.merge(r, s, Math::max));
      if (m.code().equals(market.code()) && wanted.keySet().equals(plan.current().keySet())) {
        routing.shares(m, wanted, drained).forEach((r, s) -> shares.merge(r, s, Math::max));
      }
      // What resolvers still act on shows in where the joins went, once every region's count is
      // read: a region unheard counts none, and the rest would read as taking every join (London
      // planned for all of Ireland while Dublin's agents were silent).
      if (Turnover.allRead(obs, m)) {
        Map<String, Double> joins = joinsByRegion(obs, m);
        double joined = total(joins);
        if (joined > 0) {
          joins.forEach((r, n) -> shares.merge(r, n / joined, Math::max));
        }
      }
      out.put(
          m.code(),
          turnover.split(obs, m, watching(obs, m), shares).handingOver(handingOver, movable));
    }
    return out;
  }

  /**
   * The regions whose relays hand their viewers over, each with the share of its viewers whose
   * players follow a reconnect event: those breaking the SLO for a reason more relays there would
   * not fix (not full), while another region serving the market does not, and to which no joins go
   * any more: the routed market's weight there has been 0 for the DNS delay, and no other market is
   * served there. A player that reconnects resolves again, so before that it could land on the
   * region's own relays, taking the slot of a join. None where the weights stay put.
   */
  private Map<String, Double> handingOver(Observation obs) {
    boolean elsewhere =
        market.servedBy().stream().anyMatch(s -> !degradedSince.containsKey(s.regionId()));
    if (!shifts || !elsewhere) {
      return Map.of();
    }
    Set<String> drained = obs.control().drainedRegions();
    Map<String, Double> out = new HashMap<>();
    for (String r : breaching) {
      // Measured, not configured: the edge counts the viewers whose players subscribed to the
      // reconnect event; a region whose count was not read hands nobody over.
      double reconnecting =
          obs.metrics()
              .followingShare(
                  new MarketRegion(market.code(), r), obs.now(), config.scaling().staleAfter());
      Instant zero = weightZeroSince.get(r);
      boolean joinsGone =
          zero != null
              && !zero.plus(steersAfter).isAfter(obs.now())
              && config.markets().stream()
                  .filter(m -> !m.code().equals(market.code()))
                  .noneMatch(m -> routing.shares(m, Map.of(), drained).containsKey(r));
      if (reconnecting > 0
          && joinsGone
          && degradedSince.containsKey(r)
          && !overloadedSince.containsKey(r)) {
        out.put(r, reconnecting);
      }
    }
    return out;
  }

  /**
   * Of each region handing over, the share of the routed market's viewers watching there that the
   * other regions' relays in service have room for at the target utilization now (their room shared
   * between the regions handing over), no more than the share whose players follow: a viewer moved
   * onto a relay with no free slot would take the slot of a join.
   */
  private Map<String, Double> movable(Observation obs, Map<String, Double> handingOver) {
    if (handingOver.isEmpty()) {
      return Map.of();
    }
    double room = 0;
    for (Market.ServedBy s : market.servedBy()) {
      String r = s.regionId();
      if (!handingOver.containsKey(r) && !degradedSince.containsKey(r)) {
        room += roomFor(obs, r);
      }
    }
    Map<String, Double> out = new HashMap<>();
    double each = room / handingOver.size();
    handingOver.forEach(
        (r, share) -> {
          double there = value(obs.metrics().viewers().get(new MarketRegion(market.code(), r)));
          out.put(r, there > 0 ? Math.min(share, each / there) : share);
        });
    return out;
  }

  /**
   * The viewers {@code region} can take now at the target utilization: the least of its relays'
   * room and each of its services' (a viewer moved there needs both, and a replica starts later
   * than a viewer reconnects).
   */
  private double roomFor(Observation obs, String region) {
    double target = config.scaling().targetUtilization();
    double viewers = obs.metrics().viewersIn(region);
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    if (relays == null) {
      return 0;
    }
    double room = relays.inService() * perRelay(region) - obs.metrics().demandIn(region);
    for (FleetSpec service : catalog.inRegion(region, FleetKind.SERVICE)) {
      FleetState st = obs.fleets().get(service.id());
      double replicas = st == null ? service.min() : st.inService();
      room = Math.min(room, replicas * service.unitCapacity() * target - viewers);
    }
    return Math.max(0, room);
  }

  /**
   * The viewers of {@code m} watching on each region, a drained one too: its sessions stay until
   * they end, only its joins go elsewhere.
   */
  private static Map<String, Double> watching(Observation obs, Market m) {
    return byRegion(m, key -> value(obs.metrics().viewers().get(key)));
  }

  /** The verified joins of {@code m} each region saw in the last period. */
  private static Map<String, Double> joinsByRegion(Observation obs, Market m) {
    return byRegion(m, obs.metrics()::verifiedJoinAttempts);
  }

  private static Map<String, Double> byRegion(Market m, ToDoubleFunction<MarketRegion> metric) {
    Map<String, Double> out = new HashMap<>();
    for (Market.ServedBy s : m.servedBy()) {
      out.put(s.regionId(), metric.applyAsDouble(new MarketRegion(m.code(), s.regionId())));
    }
    return out;
  }

  private static double total(Map<String, Double> byRegion) {
    return byRegion.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Each region's load now, and how fast it grew since the last tick. */
  private void noteGrowth(Observation obs) {
    if (lastAt != null && !obs.now().isAfter(lastAt)) {
      return; // the same tick planned again: what it measured stands
    }
    Map<String, Double> loads = new HashMap<>();
    for (Market.ServedBy s : market.servedBy()) {
      loads.put(s.regionId(), obs.metrics().demandIn(s.regionId()));
    }
    double t = obs.now().toEpochMilli() / 1000.0;
    remember(marketHistory, market.code(), t, marketDemand(obs));
    plannedMarket = marketAtQuantile(obs);
    growth.clear();
    loads.forEach(
        (r, now) -> {
          remember(loadHistory, r, t, now);
          Double before = lastLoad.get(r);
          if (before != null && lastAt != null) {
            growth.put(
                r, (now - before) / (Duration.between(lastAt, obs.now()).toMillis() / 1000.0));
          }
        });
    lastLoad.clear();
    lastLoad.putAll(loads);
    lastAt = obs.now();
  }

  private void updateHealth(Observation obs) {
    waiting.clear();
    heading.clear();
    double slo = config.scaling().latencySloMillis();
    for (Market.ServedBy s : market.servedBy()) {
      Sample sample = freshP95(obs, s.regionId());
      if (sample == null) {
        continue; // unknown: keep what we knew
      }
      String r = s.regionId();
      double rising = p95Trend(r, sample);
      boolean headingOver =
          sample.value() <= slo
              && sample.value() >= CALM * slo
              && sample.value() + rising * steersAfter.toSeconds() > slo
              && !loadPast(obs, r, Proposal.SCALE_IN_BAND);
      if ((sample.value() > slo || headingOver) && waitingForRelays(obs, r)) {
        waiting.add(r); // its relays on their way fix it sooner than a weight change could
        continue;
      }
      if (headingOver) {
        // Joins a shift made now steers land only after the DNS delay: a region that will be over
        // the SLO by then is left now, not once its joins are already slow.
        heading.put(r, rising);
      }
      if (sample.value() > slo || headingOver) {
        boolean full = !headingOver && loadPast(obs, r, 1.0);
        if (degradedSince.putIfAbsent(r, obs.now()) == null && full) {
          overloadedSince.put(r, obs.now());
        } else if (!full) {
          overloadedSince.remove(r);
        }
        calmSince.remove(r);
        breaching.add(r);
        continue;
      }
      breaching.remove(r);
      lastArrival.remove(r); // not waiting: the next wait starts its own clock
      if (sample.value() < CALM * slo) {
        calmSince.putIfAbsent(r, obs.now());
        if (!calmSince.get(r).plus(RECOVERY).isAfter(obs.now()) || overloadPassed(obs, r)) {
          degradedSince.remove(r);
          overloadedSince.remove(r);
        }
      } else {
        calmSince.remove(r);
      }
    }
  }

  /**
   * Whether a region's load is past what its relays in service carry at {@code share} of the target
   * utilization. Past the planner's scale-in band ({@link Proposal#SCALE_IN_BAND}), their own
   * queueing raises the p95 as load grows, and capacity, not routing, answers that; past the target
   * itself (1), the region is short of relays.
   */
  private boolean loadPast(Observation obs, String region, double share) {
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    double perRelay = perRelay(region) * share;
    return relays == null || obs.metrics().demandIn(region) > relays.inService() * perRelay;
  }

  /**
   * Whether a region slow only while its relays were full was a wait for capacity after all, found
   * before the joins moved away from it land: its relays in service now carry its load, and its
   * load, rising as it did over the last {@code steersAfter} (least squares: a step counts, a
   * minute's noise does not), stays within what it can reach before joins land ({@link
   * #reachableBeforeJoinsLand}: its ceiling where relays boot sooner than that, else the relays it
   * has) for as long as moving the routed market off it would take (the DNS delay and the weight's
   * steps to 0). Then nothing is left to recover from, and the shift still in flight is taken back
   * (the one-tick growth that started it took a step for a trend); a region nearing that, or slow
   * from an incident, keeps the recovery window.
   */
  private boolean overloadPassed(Observation obs, String region) {
    Instant since = overloadedSince.get(region);
    if (since == null
        || loadPast(obs, region, 1.0)
        || !obs.now().isBefore(since.plus(steersAfter))) {
      return false;
    }
    double load = obs.metrics().demandIn(region);
    return load + Math.max(0, trend(obs, region)) * awaySeconds(region)
        <= reachableBeforeJoinsLand(obs, region, load);
  }

  /**
   * How fast a region's load has been rising, viewers a second: the least-squares slope of its last
   * {@code steersAfter} (a step counts, a minute's noise does not).
   */
  private double trend(Observation obs, String region) {
    return fit(
            loadHistory.getOrDefault(region, new ArrayDeque<>()), obs.now().toEpochMilli() / 1000.0)
        .slope();
  }

  /**
   * How long moving the routed market off a region takes: the DNS delay and the weight's steps, at
   * most {@code maxWeightShiftPerMinute} a minute.
   */
  private double awaySeconds(String region) {
    return steersAfter.toSeconds()
        + (double) initial.getOrDefault(region, 0)
            / config.routing().maxWeightShiftPerMinute()
            * 60;
  }

  /**
   * How long, in seconds, a region's load has been rising: the newest intervals of its history that
   * grew, one that did not tolerated inside a rise that grew across it (noise); at least the last
   * interval. The history reaches back {@code steersAfter}, so this does too.
   */
  private double risingFor(String region) {
    ArrayDeque<double[]> h = loadHistory.get(region);
    if (h == null || h.size() < 2) {
      return config.scaling().tick().toSeconds();
    }
    double[][] p = h.toArray(new double[0][]);
    int newest = p.length - 1;
    int i = newest;
    while (i > 0) {
      if (p[i][1] > p[i - 1][1]) {
        i--;
      } else if (i > 1 && p[i][1] > p[i - 2][1]) {
        i -= 2;
      } else {
        break;
      }
    }
    return Math.max(p[newest][0] - p[i][0], p[newest][0] - p[newest - 1][0]);
  }

  /**
   * Adds the value {@code v} at {@code t} (seconds) to a region's series, unless it has that moment
   * already, and drops what is older than {@code steersAfter}: the window the router's trends are
   * fitted over (looked back as far as a shift looks ahead). Returns the series.
   */
  private ArrayDeque<double[]> remember(
      Map<String, ArrayDeque<double[]>> series, String region, double t, double v) {
    ArrayDeque<double[]> h = series.computeIfAbsent(region, k -> new ArrayDeque<>());
    if (h.isEmpty() || h.peekLast()[0] < t) {
      h.addLast(new double[] {t, v});
    }
    while (h.peekFirst()[0] < t - steersAfter.toSeconds()) {
      h.removeFirst();
    }
    return h;
  }

  /**
   * A least-squares line through a series, x in seconds from {@code t}: epoch seconds squared would
   * swamp the slope in rounding.
   */
  private static LineFit fit(ArrayDeque<double[]> series, double t) {
    LineFit fit = new LineFit();
    for (double[] p : series) {
      fit.add(p[0] - t, p[1]);
    }
    return fit;
  }

  /**
   * How fast a region's p95 is rising, ms a second: the least-squares slope of its samples over the
   * last {@code steersAfter} (looked back as far as it is looked ahead); 0 with fewer than three,
   * or unless the slope is above 0 by the forecast quantile's z of its standard errors (a p95
   * hovering near the SLO has a slope of noise every tick).
   */
  private double p95Trend(String region, Sample sample) {
    double t = sample.at().toEpochMilli() / 1000.0;
    ArrayDeque<double[]> h = remember(p95History, region, t, sample.value());
    LineFit fit = fit(h, t);
    double slope = fit.slope(); // 0 with fewer than three samples
    if (slope <= 0) {
      return 0;
    }
    double standardError =
        Math.sqrt(residualSquares(h, fit, t) / (fit.count() - 2) / fit.xSpread());
    return slope > z * standardError ? slope : 0;
  }

  /** The sum of a series' squared distances from its least-squares line. */
  private static double residualSquares(ArrayDeque<double[]> series, LineFit fit, double t) {
    double intercept = fit.intercept();
    double slope = fit.slope();
    double squares = 0;
    for (double[] p : series) {
      double residual = p[1] - intercept - slope * (p[0] - t);
      squares += residual * residual;
    }
    return squares;
  }

  private Map<String, Integer> awayFrom(List<String> degraded) {
    int topHealthy =
        market.servedBy().stream()
            .map(Market.ServedBy::regionId)
            .filter(r -> !degraded.contains(r))
            .mapToInt(r -> initial.getOrDefault(r, 0))
            .max()
            .orElse(0);
    Map<String, Integer> goal = new LinkedHashMap<>();
    for (Market.ServedBy s : market.servedBy()) {
      String r = s.regionId();
      int w =
          degraded.contains(r)
              ? 0
              : topHealthy == 0
                  ? 255
                  : (int) Math.round(255.0 * initial.getOrDefault(r, 0) / topHealthy);
      goal.put(r, w);
    }
    return goal;
  }

  /** Each weight moved toward its goal, by no more than the room {@code room} gives it now. */
  private static Map<String, Integer> step(
      Map<String, Integer> current, Map<String, Integer> goal, Map<String, Integer> room) {
    Map<String, Integer> next = new LinkedHashMap<>();
    current.forEach(
        (r, w) -> {
          int g = goal.getOrDefault(r, w);
          int most = room.get(r);
          next.put(r, w + Math.max(-most, Math.min(most, g - w)));
        });
    return next;
  }

  /**
   * Shrinks the step until no region would end up with more viewers than its relays in service and
   * arriving carry at the target utilization ({@link #fits}). The outcome is predicted from the
   * weights themselves (the routed market's joins in the candidate shares, its sessions where they
   * are, the other markets' as they are), so a change still in flight, set but not yet acted on by
   * resolvers, counts as made, and viewers already where the weights send them are not counted
   * twice.
   */
  private Map<String, Integer> withinHeadroom(
      Observation obs, Map<String, Integer> current, Map<String, Integer> target) {
    for (double f = 1.0; f > 0.1; f /= 2) {
      Map<String, Integer> candidate = new LinkedHashMap<>();
      for (String r : current.keySet()) {
        candidate.put(r, (int) Math.round(current.get(r) + f * (target.get(r) - current.get(r))));
      }
      if (fits(obs, current, candidate)) {
        return candidate;
      }
    }
    return current;
  }

  /**
   * No region gains weight that would leave it with more viewers than it carries: within the time
   * capacity takes to follow (its relays' cold boot and a tick), the joins the weights send it must
   * fit on its relays in service and arriving, sessions staying where they are ({@link
   * MarketSplit}); and once every session has turned over, the market's share must fit under its
   * ceiling, as no capacity will follow beyond that. Over capacity decided elsewhere, the whole
   * share must fit on the relays in service and arriving.
   */
  private boolean fits(
      Observation obs, Map<String, Integer> current, Map<String, Integer> candidate) {
    double marketViewers = plannedMarket;
    Map<String, Double> before = routing.shares(market, current);
    Map<String, Double> after = routing.shares(market, candidate);
    MarketSplit split = turnover.split(obs, market, watching(obs, market), after);
    for (Market.ServedBy s : market.servedBy()) {
      String r = s.regionId();
      if (after.getOrDefault(r, 0.0) <= before.getOrDefault(r, 0.0)) {
        continue;
      }
      double others = othersIn(obs, r);
      Duration follow = config.region(r).relay().sizing().coldBoot().plus(config.scaling().tick());
      double eventually = others + after.getOrDefault(r, 0.0) * marketViewers;
      double soon = capacityFollows ? others + split.viewers(r, marketViewers, follow) : eventually;
      if (soon > carries(obs, r) || eventually > ceiling(r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the region is slow only because its relays in service are full, or filling (busy past
   * the planner's scale-in band, its load rising past them sooner than the market could be moved
   * off it: an SLO tight enough that relays near their target break it), while it can have the
   * relays its load needs in service before a weight change made now would steer a single join
   * ({@link dev.liffey.core.config.Routing#steersAfter}): its load stays within what it can reach
   * by then, growing as it did over the last tick for as long as it has been seen rising, and along
   * its trend ({@link #trend}) for as long as moving the routed market off it would take. Under
   * Liffey's planner that is its ceiling (the planner launches for the load this tick, and a cold
   * relay boots sooner than joins move), unless EC2 has no more of its relays, or the guard would
   * not launch them (an on-call freeze or override on the fleet, or a budget cap with no room for
   * them); then, as under a baseline's capacity, only the relays already booting. And only while
   * relays do arrive ({@link #relaysArrive}). That is a wait for capacity, not a fault to route
   * around: the viewers a shift moves stay where it sends them for their whole session.
   */
  private boolean waitingForRelays(Observation obs, String region) {
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    // Capacity decided elsewhere (a baseline's) may never come: only relays already booting count.
    if (relays == null || (relays.pending() == 0 && !capacityFollows)) {
      return false;
    }
    double load = obs.metrics().demandIn(region);
    double rising = Math.max(0, growth.getOrDefault(region, 0.0));
    // The growth is carried over no longer than it has been seen going on (as the forecaster
    // extrapolates a surge): a burst that jumped in one tick is not a trend for the whole delay.
    double over = Math.min(steersAfter.toSeconds(), risingFor(region));
    // And the region's trend, over as long as moving Ireland off it would take: a climb toward
    // the ceiling is seen in time for the weights to get there first.
    double ahead = Math.max(rising * over, Math.max(0, trend(obs, region)) * awaySeconds(region));
    double carried = relays.inService() * perRelay(region);
    // Full, or busy past the scale-in band (its own queueing raising its p95) with its load rising
    // past what its relays carry sooner than the market could be moved off it: capacity, not a
    // fault, makes it slow.
    boolean filling =
        load > carried || (load > carried * Proposal.SCALE_IN_BAND && load + ahead > carried);
    if (!filling) {
      return false;
    }
    double reachable = reachableBeforeJoinsLand(obs, region, load);
    return load + ahead <= reachable && relaysArrive(obs, region, relays);
  }

  /**
   * Viewers the region's relays can carry at the target utilization by the time joins a weight
   * change made now steers land ({@link dev.liffey.core.config.Routing#steersAfter}): under
   * Liffey's planner, which launches for its {@code load} this tick, its ceiling, if a cold relay
   * boots sooner than that, EC2 has the instances and the guard would launch them; else only the
   * relays in service and already booting.
   */
  private double reachableBeforeJoinsLand(Observation obs, String region, double load) {
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    if (relays == null) {
      return 0;
    }
    double perRelay = perRelay(region);
    boolean launches =
        capacityFollows
            && !relays.capacityShortage()
            && config.region(region).relay().sizing().coldBoot().compareTo(steersAfter) <= 0
            && mayScaleOut(obs, relays, load / perRelay);
    return launches ? ceiling(region) : carries(obs, region);
  }

  /**
   * Whether relays have come into service within a cold boot (and a tick) of the wait's start or of
   * the last one that came: launches that fail (an Auto Scaling error, an AMI that does not boot)
   * leave the region full, and its joins must then go elsewhere.
   */
  private boolean relaysArrive(Observation obs, String region, FleetState relays) {
    Arrival last = lastArrival.get(region);
    if (last == null || relays.inService() > last.inService()) {
      lastArrival.put(region, new Arrival(obs.now(), relays.inService()));
      return true;
    }
    Duration patience =
        config.region(region).relay().sizing().coldBoot().plus(config.scaling().tick());
    return !obs.now().isAfter(last.at().plus(patience));
  }

  /**
   * Whether the guard would let the relays launch that {@code units} need: no on-call freeze or
   * override holds the fleet, and the budget cap has room for them beside every fleet's cost now.
   */
  private boolean mayScaleOut(Observation obs, FleetState relays, double units) {
    if (obs.control().freezeFor(relays.id(), obs.now()).isPresent()
        || obs.control().overrideFor(relays.id(), obs.now()).isPresent()) {
      return false;
    }
    double cost = 0;
    for (FleetState f : obs.fleets().values()) {
      cost += catalog.hourlyUsd(f);
    }
    for (FleetState f : obs.unreadFleets().values()) {
      cost += catalog.hourlyUsd(f);
    }
    double more = Math.max(0, Math.ceil(units) - relays.inService() - relays.pending());
    return cost + more * catalog.get(relays.id()).hourlyPriceUsd()
        <= config.scaling().budgetUsdPerHour();
  }

  /** The viewers of {@code region}'s other markets: connected and refused. */
  private double othersIn(Observation obs, String region) {
    return obs.metrics().demandIn(region)
        - obs.metrics().demand(new MarketRegion(market.code(), region));
  }

  /** The routed market's viewers: connected and refused, wherever they are. */
  private double marketDemand(Observation obs) {
    return market.servedBy().stream()
        .mapToDouble(s -> obs.metrics().demand(new MarketRegion(market.code(), s.regionId())))
        .sum();
  }

  /**
   * The routed market's demand as capacity is planned for it. Under Liffey's planner, which plans
   * at the forecast quantile: the least-squares level of its samples over the last {@code
   * steersAfter}, plus the quantile's z of their scatter about that line, and never less than the
   * demand now. A shift is judged against what the market may be on any of its next samples, not
   * its last one: on a noisy market one low sample would let a region near its ceiling take a share
   * that the next high one overfills. Over capacity decided elsewhere (a baseline's, which follows
   * the demand seen), the demand now: there the whole share must already fit on the relays in
   * service and arriving.
   */
  private double marketAtQuantile(Observation obs) {
    double now = marketDemand(obs);
    ArrayDeque<double[]> h = marketHistory.get(market.code());
    if (!capacityFollows || h == null || h.size() < 3) {
      return now;
    }
    double t = obs.now().toEpochMilli() / 1000.0;
    LineFit fit = fit(h, t);
    double scatter = Math.sqrt(residualSquares(h, fit, t) / (fit.count() - 2));
    return Math.max(now, fit.intercept() + z * scatter);
  }

  /**
   * The configured weights, less the share of a region that the market, as it is heading, would
   * take past its ceiling: the market's demand now and its rise (least squares over the last {@code
   * steersAfter}) over as long as moving it off the region takes ({@link #awaySeconds}), and the
   * region's other markets as they are. That share goes to the others by their configured weights.
   * Weights move joins only, two minutes after they are set, so a region is relieved before it is
   * full, not once it refuses. Empty when every share fits, or when no other region is left to take
   * what one cannot.
   */
  private Optional<Capped> underCeilings(Observation obs) {
    double now = plannedMarket;
    double rising =
        Math.max(
            0,
            fit(
                    marketHistory.getOrDefault(market.code(), new ArrayDeque<>()),
                    obs.now().toEpochMilli() / 1000.0)
                .slope());
    Map<String, Double> shares = routing.shares(market, initial);
    Map<String, Integer> goal = new LinkedHashMap<>(initial);
    Set<String> capped = new HashSet<>();
    List<String> words = new ArrayList<>();
    int freed = 0;
    for (Market.ServedBy s : market.servedBy()) {
      String r = s.regionId();
      double share = shares.getOrDefault(r, 0.0);
      double others = othersIn(obs, r);
      double room = Math.max(0, ceiling(r) - others);
      int configured = initial.getOrDefault(r, 0);
      // Looked ahead as long as moving the market off the region would take, as a region waiting
      // for its relays is judged (waitingForRelays): a climb toward the ceiling is met in time.
      double away = awaySeconds(r);
      double ahead = now + rising * away;
      int w =
          share <= 0 || ahead <= 0 || share * ahead <= room
              ? configured
              : (int) Math.floor(configured * room / (share * ahead));
      if (w >= configured) {
        continue;
      }
      freed += configured - w;
      goal.put(r, w);
      capped.add(r);
      words.add(
          String.format(
              Locale.ROOT,
              "%s %d at most (%s heading for %,.0f in %.0f s, %,.0f of them past the %,.0f its"
                  + " relays carry at their ceiling)",
              r,
              w,
              market.code(),
              ahead,
              away,
              share * ahead - room,
              room));
    }
    int rest = 0;
    for (Map.Entry<String, Integer> e : initial.entrySet()) {
      if (!capped.contains(e.getKey())) {
        rest += e.getValue();
      }
    }
    if (capped.isEmpty() || rest == 0) {
      return Optional.empty();
    }
    int given = 0;
    String last = null;
    for (Map.Entry<String, Integer> e : initial.entrySet()) {
      if (!capped.contains(e.getKey())) {
        int more = (int) Math.floor((double) freed * e.getValue() / rest);
        goal.merge(e.getKey(), more, Integer::sum);
        given += more;
        last = e.getKey();
      }
    }
    goal.merge(last, freed - given, Integer::sum);
    return Optional.of(new Capped(goal, String.join("; ", words)));
  }

  /** Weights that keep each region's share under its ceiling, and why, in words. */
  private record Capped(Map<String, Integer> goal, String words) {}

  /** Viewers the region's relays carry at the target utilization at their ceiling. */
  private double ceiling(String region) {
    return config.region(region).relay().sizing().maxInstances() * perRelay(region);
  }

  /** Viewers the region's relays in service and arriving carry at the target utilization. */
  private double carries(Observation obs, String region) {
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    return relays == null ? 0 : (relays.inService() + relays.pending()) * perRelay(region);
  }

  /** Viewers one of the region's relays carries at the target utilization. */
  private double perRelay(String region) {
    return config.region(region).relay().viewersPerInstance()
        * config.scaling().targetUtilization();
  }

  /** The region with the lowest fresh p95 for the market; empty unless every region has one. */
  private Optional<String> lowestP95(Observation obs) {
    String best = null;
    double lowest = Double.POSITIVE_INFINITY;
    for (Market.ServedBy s : market.servedBy()) {
      Sample p95 = freshP95(obs, s.regionId());
      if (p95 == null) {
        return Optional.empty();
      }
      if (p95.value() < lowest) {
        lowest = p95.value();
        best = s.regionId();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The regions breaking the SLO whose p95 is above {@code best}'s by more than the band a region
   * must fall below the SLO to count as calm ({@link #CALM}): the same hysteresis a recovery must
   * clear, so p95s that differ by noise do not pay for relays in another region. None when {@code
   * best} is itself over the SLO by more than that band: then most of its own viewers are slow too,
   * and joins moved there would be as slow, and stay for their whole session.
   */
  private List<String> clearlySlowerThan(Observation obs, String best) {
    double slo = config.scaling().latencySloMillis();
    double margin = (1 - CALM) * slo;
    double lowest = freshP95(obs, best).value();
    if (lowest > slo + margin) {
      return List.of();
    }
    double floor = lowest + margin;
    return market.servedBy().stream()
        .map(Market.ServedBy::regionId)
        .filter(r -> breaching.contains(r) && freshP95(obs, r).value() > floor)
        .toList();
  }

  /**
   * The p95 a join of the market would get in the region, or null when it is missing or stale.
   * Joins are all a weight moves: viewers already watching stay on relays that were full, so their
   * latency is no reason to send new joins elsewhere when the relays taking joins are calm.
   */
  private Sample freshP95(Observation obs, String region) {
    return obs.metrics()
        .joinLatencyP95(
            new MarketRegion(market.code(), region), obs.now(), config.scaling().staleAfter());
  }

  /** Weights in proportion to the routed market's viewers each region can still take on. */
  private Map<String, Integer> byHeadroom(Observation obs) {
    Map<String, Double> room = new LinkedHashMap<>();
    double most = 0;
    for (Market.ServedBy s : market.servedBy()) {
      String r = s.regionId();
      double free = Math.max(0, carries(obs, r) - othersIn(obs, r));
      room.put(r, free);
      most = Math.max(most, free);
    }
    Map<String, Integer> goal = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : room.entrySet()) {
      goal.put(
          e.getKey(),
          most == 0
              ? initial.getOrDefault(e.getKey(), 0)
              : (int) Math.round(255 * e.getValue() / most));
    }
    return goal;
  }

  private static double value(Sample s) {
    return s == null ? 0 : s.value();
  }

  private String latency(Observation obs, String region) {
    Sample s = freshP95(obs, region);
    return s == null ? "?" : String.format(Locale.ROOT, "%.0f", s.value());
  }

  /**
   * "join latency p95 44" when the relays taking joins published theirs, else "edge latency p95
   * 251" (every viewer's): on-call compares the reason with the series it names.
   */
  private String latencyWords(Observation obs, String region) {
    boolean ofJoins =
        obs.metrics()
            .readsJoinLatency(
                new MarketRegion(market.code(), region), obs.now(), config.scaling().staleAfter());
    return (ofJoins ? "join" : "edge") + " latency p95 " + latency(obs, region);
  }

  private static String describe(Map<String, Integer> from, Map<String, Integer> to) {
    return from.keySet().stream()
        .map(r -> r + " " + from.get(r) + "→" + to.get(r))
        .collect(Collectors.joining(", "));
  }
}
