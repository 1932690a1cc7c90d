package dev.liffey.autoscaler.engine.guard;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.plan.Proposal;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Scaling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns proposals into safe plans. In order: config floors and ceilings; on-call floors; freezes;
 * on-call overrides (exactly that capacity); scale out at once; no scale-in in a drained region; scale in only below what the highest demand of the stabilization window needed
 * (after a collapse, of the time it takes to get capacity back: see {@link #regainTime}),
 * at most {@code maxScaleInPercentPerMinute} (or a fifth per tick of capacity nothing in the window
 * needed, after an over-forecast spike); never scale in on stale or missing metrics; then the budget
 * cap, which trims scale-outs (services first, relays last). Remembers proposals between ticks;
 * not thread-safe.
 */
public final class Guard {
  /** The share of never-needed capacity removed per tick once the stabilization window allows it. */
  static final double UNUSED_PER_TICK = 0.2;
  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final Scaling scaling;
  private final Map<FleetId, Deque<Recommendation>> history = new HashMap<>();
  private final Map<FleetId, Instant> firstSeen = new HashMap<>();
  /** When this guard last let each fleet scale out. */
  private final Map<FleetId, Instant> scaledOut = new HashMap<>();

  public Guard(EdgeConfig config, FleetCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    this.scaling = config.scaling();
  }

  public List<FleetPlan> apply(Observation obs, List<Proposal> proposals) {
    List<FleetPlan> plans = new ArrayList<>();
    for (Proposal p : proposals) {
      // A fleet the actuators could not see this tick (its region's API failed, no Kubernetes) is
      // neither planned nor touched: nothing is acted on from data that could not be read.
      if (obs.fleets().containsKey(p.fleet())) {
        plans.add(guard(obs, p));
      }
    }
    return budget(obs, plans);
  }

  private FleetPlan guard(Observation obs, Proposal p) {
    FleetSpec spec = catalog.get(p.fleet());
    FleetState state = obs.fleets().get(p.fleet());
    int current = state == null ? spec.min() : state.desired();
    Instant now = obs.now();
    int target = spec.clamp(p.target());
    String why = p.why();
    if (target != p.target()) {
      why += target > p.target() ? "; floor " + spec.min() : "; ceiling " + spec.max();
    }
    Optional<ControlState.CapacityFloor> floor = obs.control().floorFor(p.fleet(), now);
    if (floor.isPresent() && floor.get().capacity() > target) {
      target = Math.min(spec.max(), floor.get().capacity());
      why = "on-call floor " + floor.get().capacity() + " until " + floor.get().until() + " by " + floor.get().who()
          + " (" + floor.get().reason() + ")";
    }
    remember(p.fleet(), now, Math.max(spec.clamp(p.levelTarget()),
        floor.map(f -> Math.min(spec.max(), f.capacity())).orElse(0)));

    Optional<ControlState.Freeze> freeze = obs.control().freezeFor(p.fleet());
    if (freeze.isPresent()) {
      return new FleetPlan(p.fleet(), current, current, state == null ? p.warmPool() : state.warmPoolSize(),
          "hold " + p.fleet() + " at " + current + ": frozen by " + freeze.get().who() + " (" + freeze.get().reason() + ")");
    }
    Optional<ControlState.CapacityOverride> override = obs.control().overrideFor(p.fleet(), now);
    if (override.isPresent()) {
      int held = spec.clamp(override.get().capacity());
      String verb = held == current ? "hold " + p.fleet() + " at " + current
          : (held > current ? "scale out " : "scale in ") + p.fleet() + " " + current + "→" + held;
      return new FleetPlan(p.fleet(), current, held, state == null ? p.warmPool() : state.warmPoolSize(),
          verb + ": on-call override " + override.get().capacity() + " until " + override.get().until() + " by "
              + override.get().who() + " (" + override.get().reason() + ")");
    }
    if (target > current) {
      scaledOut.put(p.fleet(), now);
      return new FleetPlan(p.fleet(), current, target, p.warmPool(),
          "scale out " + p.fleet() + " " + current + "→" + target + ": " + why);
    }
    Optional<ControlState.Drain> drain = obs.control().drainOf(p.fleet().region());
    if (drain.isPresent() && target < current) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(), "hold " + p.fleet() + " at " + current + ": "
          + p.fleet().region() + " drained by " + drain.get().who() + " (" + drain.get().reason()
          + "); capacity kept for undrain");
    }
    int scaleInTarget = Math.max(target, spec.clamp(p.scaleInTarget()));
    if (target == current || scaleInTarget >= current) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(), "hold " + p.fleet() + " at " + current + ": " + why);
    }
    // Transcoders and services just scaled out are kept as long as getting them back would take: a
    // forecast that swings with one step of a step-like series (streams going live a minute apart)
    // must not flap them, as each removal moves live streams or sessions. Relays are exempt: one
    // launched for a surge the next samples disowned is still booting or empty, and leaves freely
    // (holding them cost 5-8% more on spike families of the suite and served no one more).
    Instant launched = scaledOut.get(p.fleet());
    if (launched != null && p.fleet().kind() != FleetKind.RELAY && now.isBefore(launched.plus(regainTime(spec)))) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(), "hold " + p.fleet() + " at " + current
          + ": scaled out " + Duration.between(launched, now).toSeconds() + "s ago, kept for the "
          + regainTime(spec).toSeconds() + "s getting it back would take");
    }
    // After a restart or a failover this guard does not remember the recent past; the last scale-out
    // recorded in the control store then holds scale-in for the stabilization window.
    Optional<ControlState.LastAction> last = Optional.ofNullable(obs.control().lastActions().get(p.fleet()));
    boolean remembersIt = last.isPresent() && !firstSeen.getOrDefault(p.fleet(), now).isAfter(last.get().at());
    if (last.isPresent() && !remembersIt && last.get().scaledOut()
        && last.get().at().plus(scaling.scaleInStabilization()).isAfter(now)) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(), "hold " + p.fleet() + " at " + current
          + ": scaled out at " + last.get().at() + ", cool-down until "
          + last.get().at().plus(scaling.scaleInStabilization()));
    }
    Optional<String> staleness = staleness(obs, p.fleet());
    if (staleness.isPresent()) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(),
          "hold " + p.fleet() + " at " + current + ": no scale-in on " + staleness.get());
    }
    // Scale in only to what the highest demand seen in the window needed; after a collapse, only to
    // what it needed for as long as getting the capacity back would take.
    Duration window = scaling.scaleInStabilization();
    int stabilized = highestSince(p.fleet(), now.minus(window));
    Duration regain = regainTime(spec);
    int sinceRegain = highestSince(p.fleet(), now.minus(regain));
    boolean collapsed = regain.compareTo(window) < 0 && sinceRegain < stabilized * Proposal.SCALE_IN_BAND;
    if (collapsed) {
      stabilized = sinceRegain;
      window = regain;
    }
    if (stabilized >= current) {
      return new FleetPlan(p.fleet(), current, current, p.warmPool(), "hold " + p.fleet() + " at " + current
          + ": demand needed " + stabilized + " within the last " + window.toSeconds() + "s");
    }
    // Slowly near what demand needed; capacity nothing in the window needed goes a fifth per tick.
    int slow = (int) Math.ceil(current * scaling.maxScaleInPercentPerMinute() / 100.0
        * scaling.tick().toSeconds() / 60.0);
    int unused = (int) Math.ceil((current - Math.max(scaleInTarget, stabilized)) * UNUSED_PER_TICK);
    int step = Math.max(1, Math.max(slow, unused));
    int next = Math.max(Math.max(scaleInTarget, stabilized), current - step);
    return new FleetPlan(p.fleet(), current, next, p.warmPool(),
        "scale in " + p.fleet() + " " + current + "→" + next + ": " + why + " for " + window.toSeconds() + "s"
            + (collapsed ? " (demand collapsed: held as long as getting it back takes)" : ""));
  }

  /**
   * How long capacity given up would take to come back once demand shows again: a tick for the
   * metrics to show it, a tick to act, and the warm boot. Holding capacity longer than that after
   * demand collapsed only buys idle instances.
   */
  private Duration regainTime(FleetSpec spec) {
    return spec.warmBoot().plus(scaling.tick().multipliedBy(2));
  }

  private void remember(FleetId fleet, Instant now, int target) {
    firstSeen.putIfAbsent(fleet, now);
    Deque<Recommendation> h = history.computeIfAbsent(fleet, k -> new ArrayDeque<>());
    h.addLast(new Recommendation(now, target));
    Instant horizon = now.minus(scaling.scaleInStabilization()).minus(scaling.tick());
    while (!h.isEmpty() && h.peekFirst().at().isBefore(horizon)) {
      h.removeFirst();
    }
  }

  private int highestSince(FleetId fleet, Instant since) {
    return history.getOrDefault(fleet, new ArrayDeque<>()).stream()
        .filter(r -> !r.at().isBefore(since)).mapToInt(Recommendation::target).max().orElse(0);
  }

  /** Why the metrics this fleet is sized on cannot be trusted now, if they cannot. */
  private Optional<String> staleness(Observation obs, FleetId fleet) {
    Metrics m = obs.metrics();
    Duration staleAfter = scaling.staleAfter();
    List<String> bad = new ArrayList<>();
    if (fleet.kind() == FleetKind.TRANSCODE) {
      check(m.streams().get(fleet.region()), "streams " + fleet.region(), obs.now(), staleAfter, bad);
    } else {
      // A region's demand is its share of each market it serves, and a market's size needs every
      // region's series: one unreadable series anywhere in those markets blocks the scale-in.
      for (Market market : config.markets()) {
        if (market.servedBy().stream().anyMatch(s -> s.regionId().equals(fleet.region()))) {
          for (Market.ServedBy s : market.servedBy()) {
            MarketRegion key = new MarketRegion(market.code(), s.regionId());
            check(m.viewers().get(key), "viewers " + key, obs.now(), staleAfter, bad);
          }
        }
      }
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", bad));
  }

  private static void check(Sample s, String name, Instant now, Duration staleAfter, List<String> bad) {
    if (s == null) {
      bad.add("missing " + name);
    } else if (s.staleAt(now, staleAfter)) {
      bad.add("stale " + name + " (" + Duration.between(s.at(), now).toSeconds() + "s old)");
    }
  }

  /**
   * Trims scale-outs that would take the hourly cost over the budget: services first, relays last;
   * never what an on-call override asked for. A fleet that could not be read this tick still costs
   * what it last cost.
   */
  private List<FleetPlan> budget(Observation obs, List<FleetPlan> plans) {
    double cost = 0;
    for (FleetPlan p : plans) {
      FleetSpec s = catalog.get(p.fleet());
      cost += p.target() * s.hourlyPriceUsd() + p.warmPool() * s.warmHourlyPriceUsd();
    }
    for (FleetState unread : obs.unreadFleets().values()) {
      Optional<FleetSpec> s = catalog.find(unread.id());
      if (s.isPresent()) {
        cost += unread.desired() * s.get().hourlyPriceUsd() + unread.warmPoolSize() * s.get().warmHourlyPriceUsd();
      }
    }
    double over = cost - scaling.budgetUsdPerHour();
    if (over <= 0) {
      return plans;
    }
    List<FleetPlan> out = new ArrayList<>(plans);
    for (FleetKind kind : List.of(FleetKind.SERVICE, FleetKind.TRANSCODE, FleetKind.RELAY)) {
      for (int i = 0; i < out.size() && over > 0; i++) {
        FleetPlan p = out.get(i);
        if (p.fleet().kind() != kind || p.target() <= p.current()
            || obs.control().overrideFor(p.fleet(), obs.now()).isPresent()) {
          continue;
        }
        double price = catalog.get(p.fleet()).hourlyPriceUsd();
        int cut = (int) Math.min(p.target() - p.current(), Math.ceil(over / price));
        over -= cut * price;
        out.set(i, new FleetPlan(p.fleet(), p.current(), p.target() - cut, p.warmPool(), p.reason()
            + String.format(Locale.ROOT, "; budget cap %.0f USD/h held back %d", scaling.budgetUsdPerHour(), cut)));
      }
    }
    return out;
  }

  private record Recommendation(Instant at, int target) {}
}
