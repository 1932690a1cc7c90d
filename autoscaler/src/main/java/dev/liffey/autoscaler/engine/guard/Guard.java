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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns proposals into safe plans. In order: config floors and ceilings; on-call floors; freezes;
 * on-call overrides (exactly that capacity); scale out at once; no scale-in in a drained region;
 * scale in only below what the highest demand of the stabilization window needed (after a collapse,
 * of the time it takes to get capacity back: see {@link FleetSpec#regainTime}), at most {@code
 * maxScaleInPercentPerMinute} (or a fifth per tick of capacity nothing in the window needed, after
 * an over-forecast spike); never scale in on stale or missing metrics; then the budget cap, which
 * trims scale-outs (services first, relays last). Remembers proposals between ticks; not
 * thread-safe.
 */
public final class Guard {
  /**
   * The share of never-needed capacity removed per tick once the stabilization window allows it.
   */
  static final double UNUSED_PER_TICK = 0.2;

  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final Scaling scaling;

  /** Every configured fleet's spec and what this guard remembers of it, by id. */
  private final Map<FleetId, Memory> memory = new HashMap<>();

  /**
   * The same, in catalog order: the planner proposes in that order with the catalog's own ids, so
   * the i-th proposal's memory is found without hashing (10,000 fleets' maps do not stay in the
   * caches).
   */
  private final Memory[] inOrder;

  public Guard(EdgeConfig config, FleetCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    this.scaling = config.scaling();
    List<FleetSpec> all = catalog.all();
    this.inOrder = new Memory[all.size()];
    for (int i = 0; i < all.size(); i++) {
      inOrder[i] = new Memory(all.get(i));
      memory.put(all.get(i).id(), inOrder[i]);
    }
  }

  public List<FleetPlan> apply(Observation obs, List<Proposal> proposals) {
    List<FleetPlan> plans = new ArrayList<>(proposals.size());
    List<FleetSpec> specs = new ArrayList<>(proposals.size());
    Instant forgetBefore = obs.now().minus(scaling.scaleInStabilization()).minus(scaling.tick());
    Map<String, Optional<String>> staleness = new HashMap<>();
    for (int i = 0; i < proposals.size(); i++) {
      Proposal p = proposals.get(i);
      // A fleet the actuators could not see this tick (its region's API failed, no Kubernetes) is
      // neither planned nor touched: nothing is acted on from data that could not be read.
      FleetState state = obs.fleets().get(p.fleet());
      if (state != null || obs.fleets().containsKey(p.fleet())) {
        Memory m = memoryOf(p.fleet(), i);
        plans.add(guard(obs, p, state, m, forgetBefore, staleness));
        specs.add(m.spec);
      }
    }
    return budget(obs, plans, specs);
  }

  /**
   * What this guard remembers of a fleet, most likely the {@code index}-th in catalog order; throws
   * for one the configuration lacks.
   */
  private Memory memoryOf(FleetId fleet, int index) {
    if (index < inOrder.length && inOrder[index].spec.id() == fleet) {
      return inOrder[index];
    }
    Memory m = memory.get(fleet);
    return m != null ? m : memory.computeIfAbsent(fleet, id -> new Memory(catalog.get(id)));
  }

  /**
   * @param forgetBefore recommendations older than this are of no use to any window
   * @param staleness this tick's answers of {@link #staleness}, per region and series
   */
  private FleetPlan guard(
      Observation obs,
      Proposal p,
      FleetState state,
      Memory m,
      Instant forgetBefore,
      Map<String, Optional<String>> staleness) {
    FleetSpec spec = m.spec;
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
      why =
          "on-call floor "
              + floor.get().capacity()
              + " until "
              + floor.get().until()
              + " by "
              + floor.get().who()
              + " ("
              + floor.get().reason()
              + ")";
    }
    m.remember(
        now,
        Math.max(
            spec.clamp(p.levelTarget()),
            floor.map(f -> Math.min(spec.max(), f.capacity())).orElse(0)),
        forgetBefore);
    if (state != null && p.fleet().kind() != FleetKind.SERVICE) {
      m.notePeak(now, state.inService()); // services have no pool to keep what they give up in
    }

    Optional<ControlState.Freeze> freeze = obs.control().freezeFor(p.fleet(), obs.now());
    if (freeze.isPresent()) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          state == null ? p.warmPool() : state.warmPoolSize(),
          "hold "
              + m.name
              + " at "
              + current
              + ": frozen by "
              + freeze.get().who()
              + " ("
              + freeze.get().reason()
              + ")");
    }
    Optional<ControlState.CapacityOverride> override = obs.control().overrideFor(p.fleet(), now);
    if (override.isPresent()) {
      int held = spec.clamp(override.get().capacity());
      String verb =
          held == current
              ? "hold " + m.name + " at " + current
              : (held > current ? "scale out " : "scale in ") + m.name + " " + current + "→" + held;
      return new FleetPlan(
          p.fleet(),
          current,
          held,
          state == null ? p.warmPool() : state.warmPoolSize(),
          verb
              + ": on-call override "
              + override.get().capacity()
              + " until "
              + override.get().until()
              + " by "
              + override.get().who()
              + " ("
              + override.get().reason()
              + ")");
    }
    if (target > current) {
      m.scaledOut = now;
      return new FleetPlan(
          p.fleet(),
          current,
          target,
          pool(p, m, target),
          "scale out " + m.name + " " + current + "→" + target + ": " + why);
    }
    Optional<ControlState.Drain> drain = obs.control().drainOf(p.fleet().region());
    if (drain.isPresent() && target < current) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold "
              + m.name
              + " at "
              + current
              + ": "
              + p.fleet().region()
              + " drained by "
              + drain.get().who()
              + " ("
              + drain.get().reason()
              + "); capacity kept for undrain");
    }
    int scaleInTarget = Math.max(target, spec.clamp(p.scaleInTarget()));
    if (target == current || scaleInTarget >= current) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold " + m.name + " at " + current + ": " + why);
    }
    // Transcoders and services just scaled out are kept as long as getting them back would take: a
    // forecast that swings with one step of a step-like series (streams going live a minute apart)
    // must not flap them, as each removal moves live streams or sessions. Relays are exempt: one
    // launched for a surge the next samples disowned is still booting or empty, and leaves freely
    // (holding them cost 5-8% more on spike families of the suite and served no one more).
    Instant launched = m.scaledOut;
    Duration regain = spec.regainTime(scaling.tick());
    if (launched != null
        && p.fleet().kind() != FleetKind.RELAY
        && now.isBefore(launched.plus(regain))) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold "
              + m.name
              + " at "
              + current
              + ": scaled out "
              + Duration.between(launched, now).toSeconds()
              + "s ago, kept for the "
              + regain.toSeconds()
              + "s getting it back would take");
    }
    // After a restart or a failover this guard does not remember the recent past; the last
    // scale-out
    // recorded in the control store then holds scale-in for the stabilization window.
    Optional<ControlState.LastAction> last =
        Optional.ofNullable(obs.control().lastActions().get(p.fleet()));
    boolean remembersIt = last.isPresent() && !m.firstSeen.isAfter(last.get().at());
    if (last.isPresent()
        && !remembersIt
        && last.get().scaledOut()
        && last.get().at().plus(scaling.scaleInStabilization()).isAfter(now)) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold "
              + m.name
              + " at "
              + current
              + ": scaled out at "
              + last.get().at()
              + ", cool-down until "
              + last.get().at().plus(scaling.scaleInStabilization()));
    }
    // What a fleet is sized on is its region's (streams, or the viewers of the markets it serves).
    Optional<String> stale =
        staleness.computeIfAbsent(
            (p.fleet().kind() == FleetKind.TRANSCODE ? "streams " : "viewers ")
                + p.fleet().region(),
            k -> staleness(obs, p.fleet()));
    if (stale.isPresent()) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold " + m.name + " at " + current + ": no scale-in on " + stale.get());
    }
    // Scale in only to what the highest demand seen in the window needed; after a collapse, only to
    // what it needed for as long as getting the capacity back would take.
    Duration window = scaling.scaleInStabilization();
    int stabilized = m.highestSince(now.minus(window));
    int sinceRegain = m.highestSince(now.minus(regain));
    boolean collapsed =
        regain.compareTo(window) < 0 && sinceRegain < stabilized * Proposal.SCALE_IN_BAND;
    if (collapsed) {
      stabilized = sinceRegain;
      window = regain;
    }
    if (stabilized >= current) {
      return new FleetPlan(
          p.fleet(),
          current,
          current,
          pool(p, m, current),
          "hold "
              + m.name
              + " at "
              + current
              + ": demand needed "
              + stabilized
              + " within the last "
              + window.toSeconds()
              + "s");
    }
    // Slowly near what demand needed; capacity nothing in the window needed goes a fifth per tick.
    int slow =
        (int)
            Math.ceil(
                current
                    * scaling.maxScaleInPercentPerMinute()
                    / 100.0
                    * scaling.tick().toSeconds()
                    / 60.0);
    int unused = (int) Math.ceil((current - Math.max(scaleInTarget, stabilized)) * UNUSED_PER_TICK);
    int step = Math.max(1, Math.max(slow, unused));
    int next = Math.max(Math.max(scaleInTarget, stabilized), current - step);
    return new FleetPlan(
        p.fleet(),
        current,
        next,
        pool(p, m, next),
        "scale in "
            + m.name
            + " "
            + current
            + "→"
            + next
            + ": "
            + why
            + " for "
            + window.toSeconds()
            + "s"
            + (collapsed ? " (demand collapsed: held as long as getting it back takes)" : ""));
  }

  /**
   * The warm pool to keep beside {@code target} units: what the planner proposed, or, when demand
   * has fallen, every instance given up since the peak of the last {@link
   * FleetSpec#keepStoppedFor}. Given up into the pool (reuse on scale-in) they cost their volumes
   * only, and an audience that comes back finds them a warm boot away instead of a cold one.
   * Services have no pool: they note no peak (see {@link #guard}), so they keep what was proposed.
   */
  private static int pool(Proposal p, Memory m, int target) {
    return Math.max(p.warmPool(), Math.min(m.spec.max() - target, m.peakInService() - target));
  }

  /** Why the metrics this fleet is sized on cannot be trusted now, if they cannot. */
  private Optional<String> staleness(Observation obs, FleetId fleet) {
    Metrics m = obs.metrics();
    Duration staleAfter = scaling.staleAfter();
    List<String> bad = new ArrayList<>();
    if (fleet.kind() == FleetKind.TRANSCODE) {
      check(
          m.streams().get(fleet.region()), "streams " + fleet.region(), obs.now(), staleAfter, bad);
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

  private static void check(
      Sample s, String name, Instant now, Duration staleAfter, List<String> bad) {
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
  private List<FleetPlan> budget(Observation obs, List<FleetPlan> plans, List<FleetSpec> specs) {
    double cost = 0;
    for (int i = 0; i < plans.size(); i++) {
      FleetPlan p = plans.get(i);
      FleetSpec s = specs.get(i);
      cost += p.target() * s.hourlyPriceUsd() + p.warmPool() * s.warmHourlyPriceUsd();
    }
    for (FleetState unread : obs.unreadFleets().values()) {
      Optional<FleetSpec> s = catalog.find(unread.id());
      if (s.isPresent()) {
        cost +=
            unread.desired() * s.get().hourlyPriceUsd()
                + unread.warmPoolSize() * s.get().warmHourlyPriceUsd();
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
        if (p.fleet().kind() != kind
            || p.target() <= p.current()
            || obs.control().overrideFor(p.fleet(), obs.now()).isPresent()) {
          continue;
        }
        double price = catalog.get(p.fleet()).hourlyPriceUsd();
        int cut = (int) Math.min(p.target() - p.current(), Math.ceil(over / price));
        over -= cut * price;
        out.set(
            i,
            new FleetPlan(
                p.fleet(),
                p.current(),
                p.target() - cut,
                p.warmPool(),
                p.reason()
                    + String.format(
                        Locale.ROOT,
                        "; budget cap %.0f USD/h held back %d",
                        scaling.budgetUsdPerHour(),
                        cut)));
      }
    }
    return out;
  }

  /**
   * One fleet's spec and what this guard remembers of it: when it first saw it, when it last let it
   * scale out, and the recent recommendations (oldest first, in a ring of parallel arrays: 10,000
   * fleets a tick cannot afford an object per recommendation chased through a deque). Those older
   * than {@code forgetBefore} are dropped only when the ring is full, so a tick touches its tail
   * and not its head. They never count: the stabilization window starts a tick after {@code
   * forgetBefore}, and the regain window is used only when it is the shorter.
   */
  private static final class Memory {
    final FleetSpec spec;

    /** The fleet as its reasons name it ({@code relay eu-west-1}), made once. */
    final String name;

    Instant firstSeen;
    Instant scaledOut;

    /**
     * {@link FleetSpec#keepStoppedFor} in ms, worked out once: the guard notes every fleet's peak
     * every tick.
     */
    private final long keepMillis;

    /**
     * The most instances in service seen since {@link #peakSince} (epoch ms), and in the period
     * before it.
     */
    private long peakSince = Long.MIN_VALUE;

    private int peak;
    private int previousPeak;
    private Instant[] at = new Instant[8];
    private int[] target = new int[8];
    private int head;
    private int size;

    Memory(FleetSpec spec) {
      this.spec = spec;
      this.name = spec.id().toString();
      Duration keep = spec.keepStoppedFor();
      this.keepMillis =
          keep.getSeconds() >= Long.MAX_VALUE / 4_000 ? Long.MAX_VALUE / 4 : keep.toMillis();
    }

    void remember(Instant now, int units, Instant forgetBefore) {
      if (firstSeen == null) {
        firstSeen = now;
      }
      if (size == at.length) {
        while (size > 0 && at[head].isBefore(forgetBefore)) {
          at[head] = null;
          head = (head + 1) & (at.length - 1);
          size--;
        }
        if (size == at.length) {
          grow();
        }
      }
      int tail = (head + size) & (at.length - 1);
      at[tail] = now;
      target[tail] = units;
      size++;
    }

    /**
     * Notes the instances in service now. The peak is kept in two periods of {@link
     * FleetSpec#keepStoppedFor} each, so it is remembered at least that long and at most twice.
     */
    void notePeak(Instant now, int inService) {
      long at = now.toEpochMilli();
      if (peakSince == Long.MIN_VALUE) {
        peakSince = at;
      } else if (at - peakSince >= keepMillis) {
        previousPeak = at - peakSince >= 2 * keepMillis ? 0 : peak;
        peak = 0;
        peakSince = at;
      }
      peak = Math.max(peak, inService);
    }

    int peakInService() {
      return Math.max(peak, previousPeak);
    }

    /** The highest recommendation at or after {@code since}; 0 if none. */
    int highestSince(Instant since) {
      int highest = 0;
      boolean any = false;
      for (int i = 0; i < size; i++) {
        int j = (head + i) & (at.length - 1);
        if (!at[j].isBefore(since)) {
          highest = any ? Math.max(highest, target[j]) : target[j];
          any = true;
        }
      }
      return highest;
    }

    private void grow() {
      Instant[] moreAt = new Instant[at.length * 2];
      int[] moreTarget = new int[at.length * 2];
      for (int i = 0; i < size; i++) {
        int j = (head + i) & (at.length - 1);
        moreAt[i] = at[j];
        moreTarget[i] = target[j];
      }
      at = moreAt;
      target = moreTarget;
      head = 0;
    }
  }
}
