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
import dev.liffey.autoscaler.engine.RegionCounts;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.SentViewers;
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
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns proposals into safe plans. In order: config floors and ceilings; on-call floors; freezes;
 * on-call overrides (exactly that capacity); scale out at once; no scale-in in a drained region;
 * scale in only below what the highest demand of the stabilization window needed (after a collapse,
 * of the time it takes to get capacity back: see {@link FleetSpec#regainTime}; and as long again as
 * the last collapse lasted, when that one came back sooner than capacity could; a service, after a
 * collapse, never below what the region's relays in service admit), at most {@code
 * maxScaleInPercentPerMinute} (or a fifth per metrics period of capacity nothing in the window
 * needed, after an over-forecast spike; at least a unit a period, paced in time over the ticks);
 * never scale in on stale or missing metrics, nor on viewer counts fewer relays published than are
 * in service; then the budget cap, which trims scale-outs (services first, relays last). Remembers
 * proposals between ticks; not thread-safe.
 */
public final class Guard {
  /**
   * The share of never-needed capacity removed per metrics period once the stabilization window
   * allows it. Paced in time, not per tick: a loop ticking every second reads each period ten
   * times, and a fifth a tick gave the capacity up ten times as fast on the same evidence.
   */
  static final double UNUSED_PER_PERIOD = 0.2;

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

  /** This tick's counted metrics: see {@link #apply(Observation, List, Metrics)}. */
  private Metrics counted;

  /** How each region's audience has come back, by region id: see {@link Comebacks}. */
  private final Map<String, Comebacks> comebacks = new HashMap<>();

  public Guard(EdgeConfig config, FleetCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    this.scaling = config.scaling();
    List<FleetSpec> all = catalog.all();
    this.inOrder = new Memory[all.size()];
    for (int i = 0; i < all.size(); i++) {
      inOrder[i] = new Memory(all.get(i), scaling.scaleInStabilization());
      memory.put(all.get(i).id(), inOrder[i]);
    }
    for (String region : config.regionIds()) {
      // A level counts as held once it lasted as long as launching capacity for it takes; a
      // return counts what came back within the time a relay given up takes to be back.
      Optional<FleetSpec> relay = catalog.find(FleetId.relay(region));
      Duration launch =
          relay.map(r -> r.coldBoot().plus(scaling.tick().multipliedBy(2))).orElse(Duration.ZERO);
      Duration regain = relay.map(r -> r.regainTime(scaling.tick())).orElse(Duration.ZERO);
      comebacks.put(
          region, new Comebacks(new HeldLevel(launch, scaling.scaleInStabilization()), regain));
    }
  }

  public List<FleetPlan> apply(Observation obs, List<Proposal> proposals) {
    return apply(obs, proposals, obs.metrics());
  }

  /**
   * As {@link #apply(Observation, List)}, where {@code obs} holds estimates (each region's counts
   * scaled up to its relays in service) and {@code counted} what the relays that published counted:
   * a scale-in rests on the counted figures alone.
   */
  public List<FleetPlan> apply(Observation obs, List<Proposal> proposals, Metrics counted) {
    this.counted = counted;
    comebacks.forEach((region, c) -> c.note(obs.now(), obs.metrics().demandIn(region)));
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
    return m != null
        ? m
        : memory.computeIfAbsent(
            fleet, id -> new Memory(catalog.get(id), scaling.scaleInStabilization()));
  }

  /**
   * One fleet this tick, as the rules see it: its proposal clamped to the config's bounds and
   * raised to on-call's floor, with the reason so far.
   */
  private static final class Fleet {
    final Observation obs;
    final Proposal p;
    final FleetState state;
    final Memory m;
    final Map<String, Optional<String>> staleness;
    final Instant now;
    final int current;
    final int target;
    final String why;
    final int scaleInTarget;

    /** The scale-in window, worked out by the first rule that needs it. */
    Window window;

    /**
     * Where some counts were not read: the fewest units a scale-in may leave, and what that floor
     * rests on and what was not counted, in the words a scale-in's reason ends with; else 0 and
     * null.
     */
    int atLeast;

    String uncounted;

    Fleet(
        Observation obs,
        Proposal p,
        FleetState state,
        Memory m,
        Map<String, Optional<String>> staleness,
        int current,
        int target,
        String why) {
      this.obs = obs;
      this.p = p;
      this.state = state;
      this.m = m;
      this.staleness = staleness;
      this.now = obs.now();
      this.current = current;
      this.target = target;
      this.why = why;
      this.scaleInTarget = Math.max(target, m.spec.clamp(p.scaleInTarget()));
    }

    FleetPlan hold(int warmPool, String reason) {
      return FleetPlan.hold(p.fleet(), m.name, current, warmPool, reason);
    }

    /** Held where it is, with the pool the proposal keeps at this size. */
    FleetPlan hold(String reason) {
      return hold(pool(p, m, current, now), reason);
    }

    /** Held where it is with the pool it has: on-call's word, not the forecast, decides here. */
    FleetPlan holdAsIs(String reason) {
      return hold(state == null ? p.warmPool() : state.warmPoolSize(), reason);
    }
  }

  /**
   * One rule of the guard: the plan for the fleet, or null when it is not this rule's to decide.
   */
  @FunctionalInterface
  private interface Rule {
    FleetPlan decide(Fleet f);
  }

  /** The rules, in order; the first that decides, decides. The last always does. */
  private final List<Rule> rules =
      List.of(
          this::frozen,
          this::overridden,
          this::scaleOut,
          this::drained,
          this::nothingToShed,
          this::justScaledOut,
          this::coolingDownAfterRestart,
          this::metricsUntrusted,
          this::neededWithinWindow,
          this::scaleIn);

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
      ControlState.CapacityFloor f = floor.get();
      why =
          "on-call floor "
              + f.capacity()
              + " until "
              + f.until()
              + " by "
              + f.who()
              + " ("
              + f.reason()
              + ")";
    }
    m.remember(
        now,
        Math.max(
            spec.clamp(p.levelTarget()),
            floor.map(f -> Math.min(spec.max(), f.capacity())).orElse(0)),
        p.warmPool(),
        forgetBefore);
    if (state != null && p.fleet().kind() != FleetKind.SERVICE) {
      m.notePeak(now, state.inService()); // services have no pool to keep what they give up in
    }
    Fleet fleet = new Fleet(obs, p, state, m, staleness, current, target, why);
    for (Rule rule : rules) {
      FleetPlan plan = rule.decide(fleet);
      if (plan != null) {
        return plan;
      }
    }
    throw new IllegalStateException("no guard rule decided " + p.fleet()); // scaleIn always does
  }

  /** On-call froze it: it stays as it is. */
  private FleetPlan frozen(Fleet f) {
    Optional<ControlState.Freeze> freeze = f.obs.control().freezeFor(f.p.fleet(), f.now);
    if (freeze.isEmpty()) {
      return null; // no lambda made for every fleet a tick to map an empty optional
    }
    ControlState.Freeze z = freeze.get();
    return f.holdAsIs("frozen by " + z.who() + " (" + z.reason() + ")");
  }

  /** On-call holds it at exactly a size, up or down. */
  private FleetPlan overridden(Fleet f) {
    Optional<ControlState.CapacityOverride> o = f.obs.control().overrideFor(f.p.fleet(), f.now);
    if (o.isEmpty()) {
      return null;
    }
    ControlState.CapacityOverride override = o.get();
    return FleetPlan.resize(
        f.p.fleet(),
        f.m.name,
        f.current,
        f.m.spec.clamp(override.capacity()),
        f.state == null ? f.p.warmPool() : f.state.warmPoolSize(),
        "on-call override "
            + override.capacity()
            + " until "
            + override.until()
            + " by "
            + override.who()
            + " ("
            + override.reason()
            + ")");
  }

  /** More is needed: at once. */
  private FleetPlan scaleOut(Fleet f) {
    if (f.target <= f.current) {
      return null;
    }
    f.m.scaledOut = f.now;
    if (f.m.collapsedAt != null && f.p.fleet().kind() == FleetKind.RELAY) {
      comebacks.get(f.p.fleet().region()).cameBack = true;
    }
    f.m.cameBack(f.now, f.m.spec.regainTime(scaling.tick()), f.current, f.target);
    return FleetPlan.resize(
        f.p.fleet(), f.m.name, f.current, f.target, pool(f.p, f.m, f.target, f.now), f.why);
  }

  /** Its region is drained: capacity is kept for the viewers' return. */
  private FleetPlan drained(Fleet f) {
    if (f.target >= f.current) {
      return null;
    }
    return f.obs
        .control()
        .drainOf(f.p.fleet().region())
        .map(
            d ->
                f.hold(
                    f.p.fleet().region()
                        + " drained by "
                        + d.who()
                        + " ("
                        + d.reason()
                        + "); capacity kept for undrain"))
        .orElse(null);
  }

  /** Nothing to give up: the proposal keeps it, or would shed none of it. */
  private FleetPlan nothingToShed(Fleet f) {
    return f.target == f.current || f.scaleInTarget >= f.current ? f.hold(f.why) : null;
  }

  /**
   * Transcoders and services just scaled out are kept as long as getting them back would take: a
   * forecast that swings with one step of a step-like series (streams going live a minute apart)
   * must not flap them, as each removal moves live streams or sessions. Relays are exempt: one
   * launched for a surge the next samples disowned is still booting or empty, and leaves freely
   * (holding them cost 5-8% more on spike families of the suite and served no one more).
   */
  private FleetPlan justScaledOut(Fleet f) {
    Instant launched = f.m.scaledOut;
    Duration regain = f.m.spec.regainTime(scaling.tick());
    if (launched == null
        || f.p.fleet().kind() == FleetKind.RELAY
        || !f.now.isBefore(launched.plus(regain))) {
      return null;
    }
    return f.hold(
        "scaled out "
            + Duration.between(launched, f.now).toSeconds()
            + "s ago, kept for the "
            + regain.toSeconds()
            + "s getting it back would take");
  }

  /**
   * After a restart or a failover this guard does not remember the recent past; the last scale-out
   * recorded in the control store then holds scale-in for the stabilization window.
   */
  private FleetPlan coolingDownAfterRestart(Fleet f) {
    ControlState.LastAction last = f.obs.control().lastActions().get(f.p.fleet());
    if (last == null
        || !f.m.firstSeen.isAfter(last.at())
        || !last.scaledOut()
        || !last.at().plus(scaling.scaleInStabilization()).isAfter(f.now)) {
      return null;
    }
    return f.hold(
        "scaled out at "
            + last.at()
            + ", cool-down until "
            + last.at().plus(scaling.scaleInStabilization()));
  }

  /**
   * Never scale in on what could not be read: the series a fleet is sized on must be fresh, and
   * counted on every relay in service. Where only relays that did not publish stand in the way
   * (every series read fresh), relays and services may still scale in, to floors that rest on no
   * figure a relay did not publish: a relay group never below every relay not counted plus those
   * the counted viewers need at the target utilization (the relays removed are counted ones, the
   * emptiest first: the actuator keeps a relay whose count is unknown), a service never below the
   * replicas for the counted viewers and each relay not counted full.
   */
  private FleetPlan metricsUntrusted(Fleet f) {
    FleetId id = f.p.fleet();
    Optional<String> stale =
        f.staleness.computeIfAbsent(
            (id.kind() == FleetKind.TRANSCODE ? "streams " : "viewers ") + id.region(),
            k -> staleness(f.obs, id));
    if (stale.isEmpty()) {
      return null;
    }
    if (id.kind() == FleetKind.TRANSCODE || f.state == null) {
      return f.hold("no scale-in on " + stale.get());
    }
    if (!seriesUnread(f.obs, id).isEmpty()) {
      return unheard(f, stale.get());
    }
    return id.kind() == FleetKind.RELAY
        ? relaysNotCounted(f, stale.get())
        : servicesNotCounted(f, stale.get());
  }

  /**
   * Where none of a region's counts was read, its relays and services may scale in only on what EC2
   * measured its relays sending, and only while they had room: relays with room refused no one, so
   * the viewers they sent to are the whole demand (the relays full, a crowd of unknown size is
   * refused: held). Never below the units those viewers need at the target utilization.
   */
  private FleetPlan unheard(Fleet f, String unread) {
    String region = f.p.fleet().region();
    FleetState relays = f.obs.fleets().get(FleetId.relay(region));
    Optional<FleetSpec> relay = catalog.find(FleetId.relay(region));
    OptionalDouble sent = SentViewers.of(f.obs, region, config);
    if (relays == null
        || relay.isEmpty()
        || sent.isEmpty()
        || !RegionCounts.unheard(f.obs, region, config)
        || SentViewers.full(
            sent.getAsDouble(), (double) relays.inService() * relay.get().unitCapacity(), config)) {
      return f.hold("no scale-in on " + unread);
    }
    f.atLeast = f.m.spec.unitsFor(sent.getAsDouble(), scaling.targetUtilization());
    f.uncounted = "no fewer than what its relays sent needs (" + unread + ")";
    if (f.atLeast >= f.current) {
      return f.hold(
          String.format(
              Locale.ROOT,
              "no scale-in on %s (%d for the %,.0f viewers its relays sent to)",
              unread,
              f.atLeast,
              sent.getAsDouble()));
    }
    return null;
  }

  /**
   * A relay group's floor where some of its relays did not publish: every relay not counted, and
   * those the counted viewers need at the target utilization.
   */
  private FleetPlan relaysNotCounted(Fleet f, String uncounted) {
    String region = f.p.fleet().region();
    int silent = Math.max(0, f.state.inService() - reporting(region, f.state.inService()));
    int forCounted = f.m.spec.unitsFor(counted.demandIn(region), scaling.targetUtilization());
    f.atLeast = silent + forCounted;
    f.uncounted = "every relay not counted kept (" + uncounted + ")";
    if (f.atLeast >= f.current) {
      return f.hold(
          "no scale-in on "
              + uncounted
              + " (the "
              + silent
              + " not counted and the "
              + forCounted
              + " the counted viewers need)");
    }
    return null;
  }

  /**
   * A service's floor where some of its region's relays did not publish: the replicas for every
   * viewer the relays could hold, the counted ones and each relay not counted full. A viewer
   * reaches chat, wallet and game only through a relay, and a relay holds no more than its
   * capacity: a bound read, not estimated (how many relays are in service, and what one holds).
   * Held where the region's relays were not read.
   */
  private FleetPlan servicesNotCounted(Fleet f, String uncounted) {
    String region = f.p.fleet().region();
    FleetState relays = f.obs.fleets().get(FleetId.relay(region));
    Optional<FleetSpec> relay = catalog.find(FleetId.relay(region));
    if (relays == null || relay.isEmpty()) {
      return f.hold("no scale-in on " + uncounted);
    }
    int silent = Math.max(0, relays.inService() - reporting(region, relays.inService()));
    double most = counted.demandIn(region) + silent * relay.get().unitCapacity();
    f.atLeast = f.m.spec.unitsFor(most, scaling.targetUtilization());
    f.uncounted = "no fewer than each relay not counted, full, needs (" + uncounted + ")";
    if (f.atLeast >= f.current) {
      return f.hold(
          String.format(
              Locale.ROOT,
              "no scale-in on %s (%d for the %,.0f viewers the relays could hold, each not"
                  + " counted full)",
              uncounted,
              f.atLeast,
              most));
    }
    return null;
  }

  /** How many of a region's relays published their counts (all in service when none is said). */
  private int reporting(String region, int inService) {
    Sample reporting = counted.relaysReporting().get(region);
    return reporting == null ? inService : (int) Math.floor(reporting.value());
  }

  /**
   * Scale in only to what the highest demand seen in the window needed; after a collapse, only to
   * what it needed for as long as getting the capacity back would take.
   */
  private FleetPlan neededWithinWindow(Fleet f) {
    Window w = window(f);
    if (w.needed < f.current) {
      return null;
    }
    return f.hold(
        w.keptFor > 0
            ? "demand collapsed; " + keptFor(f, w.keptFor)
            : "demand needed " + w.needed + " within the last " + w.length.toSeconds() + "s");
  }

  /**
   * Slowly near what demand needed; capacity nothing in the window needed goes a fifth a period,
   * and launches still booting that nothing needs are cancelled at once (unless demand just
   * collapsed: what comes back sooner than capacity could is kept).
   */
  private FleetPlan scaleIn(Fleet f) {
    Window w = window(f);
    int current = f.current;
    int floor = Math.max(Math.max(f.scaleInTarget, w.needed), f.atLeast);
    // What a metrics period may give up, in whole units (so at least one a period), paced over
    // the ticks in it: the same in time whatever the tick.
    int slow =
        (int)
            Math.ceil(
                current
                    * scaling.maxScaleInPercentPerMinute()
                    / 100.0
                    * Metrics.PERIOD.toSeconds()
                    / 60.0);
    int unused = (int) Math.ceil((current - floor) * UNUSED_PER_PERIOD);
    int perPeriod = Math.max(1, Math.max(slow, unused));
    // A launch a spike forecast asked for, and the next samples disowned, has served no one yet:
    // each tick it boots on is billed, and a fifth a tick kept most of a 10x overshoot for a
    // minute. Not while the demand still surges: a forecast that dipped for a tick (the rise
    // paused, or full relays flattened the viewers seen) would cancel launches the rise going on
    // needs, to launch them again a boot later.
    int cancelled =
        f.state == null || w.collapsed || f.p.surging()
            ? 0
            : Math.min(f.state.pending(), current - floor);
    int step = Math.max(f.m.paced(f.now, perPeriod, scaling.tick()), cancelled);
    if (step == 0) {
      return f.hold(
          f.why
              + " for "
              + w.length.toSeconds()
              + "s; scaling in "
              + perPeriod
              + " a "
              + Metrics.PERIOD.toSeconds()
              + "s metrics period, paced over its ticks");
    }
    int next = Math.max(floor, current - step);
    if (w.collapsed) {
      if (f.m.collapsedAt == null) {
        f.m.collapsedAt = f.now;
        f.m.collapsedFrom = current;
      }
      f.m.gaveUpAt = f.now;
    }
    return FleetPlan.resize(
        f.p.fleet(),
        f.m.name,
        current,
        next,
        pool(f.p, f.m, next, f.now),
        f.why
            + " for "
            + w.length.toSeconds()
            + "s"
            + (w.collapsed ? collapseWords(f.m) : "")
            + (w.keptFor > 0 ? "; " + keptFor(f, w.keptFor) : "")
            + (cancelled > 0
                ? "; " + cancelled + " still booting, cancelled: nothing needs them"
                : "")
            + (f.uncounted == null ? "" : "; " + f.uncounted));
  }

  /** What a collapsing fleet is kept for, in words. */
  private static String keptFor(Fleet f, int viewers) {
    return String.format(
        Locale.ROOT,
        f.p.fleet().kind() == FleetKind.SERVICE
            ? "kept for the %,d viewers the relays in service could admit before a replica is back"
            : "kept for the %,d viewers there could be once the audience comes back as it last did,"
                + " before a relay is back",
        viewers);
  }

  /** How long a collapse was held, in words. */
  private static String collapseWords(Memory m) {
    return m.cameBackAfter == null
        ? " (demand collapsed: held as long as getting it back takes)"
        : " (demand collapsed: held as long as getting it back takes and as the last collapse"
            + " lasted)";
  }

  /**
   * The scale-in window: the most demand needed in it, how long it is, and whether demand
   * collapsed; {@code keptFor}, when a collapsing fleet is kept for viewers who could be back
   * before its capacity is (a service for what the relays in service admit, relays for an audience
   * returning as it last did), those viewers (else 0).
   */
  private record Window(int needed, Duration length, boolean collapsed, int keptFor) {}

  /**
   * The stabilization window, or, after a collapse (demand within the regain time below the band of
   * the window's peak, and more than one unit below it), the regain time: what comes back sooner
   * than capacity could is kept.
   */
  private Window window(Fleet f) {
    if (f.window == null) {
      f.window = scaleInWindow(f);
    }
    return f.window;
  }

  private Window scaleInWindow(Fleet f) {
    Duration window = scaling.scaleInStabilization();
    f.m.forgetCollapse(f.now, window);
    // A fleet whose last collapse came back sooner than its capacity could be had back holds the
    // next one for as long again as well: an audience that swings back is not paid for twice.
    Duration regain = f.m.spec.regainTime(scaling.tick());
    Duration hold = f.m.cameBackAfter == null ? regain : regain.plus(f.m.cameBackAfter);
    int stabilized = f.m.highestSince(f.now.minus(window));
    int sinceHold = f.m.highestSince(f.now.minus(hold));
    // A collapse is a fall past the band and past a unit's rounding: on a fleet of under 15 units
    // one unit is more than the band, and the demand that needs one unit less may be a viewer less
    // across a unit's boundary (a source region draining as its sessions end, noise), not demand
    // going away.
    boolean collapsed =
        hold.compareTo(window) < 0
            && sinceHold < stabilized * Proposal.SCALE_IN_BAND
            && stabilized - sinceHold > 1;
    if (!collapsed) {
      return new Window(stabilized, window, false, 0);
    }
    if (f.p.fleet().kind() == FleetKind.SERVICE) {
      // A replica takes its start and two ticks to be back, and the relays in service admit a
      // returning audience as fast as it comes (an ad break's within 10-20 s): a service gives up
      // in a collapse only what those relays could not admit by then, and never keeps more than
      // the window needed. Relays decide how fast viewers can come back; their own collapse hold
      // (and the warm pool's) decides for how long.
      int admitted = admittedBy(f.obs, f.p.fleet().region(), regain);
      int forThem = Math.min(stabilized, f.m.spec.unitsFor(admitted, 1.0));
      if (forThem > sinceHold) {
        return new Window(forThem, hold, true, admitted);
      }
    } else if (f.p.fleet().kind() == FleetKind.RELAY) {
      // An audience that has come back from a collapse before, to a level it held, may do so
      // again sooner than a relay given up is back (an ad break's in 10-20 s, a warm boot's 52):
      // the relays keep what came back within that time, on top of the demand now. A surge's
      // rise, above anything held, is not expected again.
      Comebacks seen = comebacks.get(f.p.fleet().region());
      if (seen.cameBack && seen.mostBack.value > 0) {
        int back = (int) Math.ceil(seen.lastDemand + seen.mostBack.value);
        int forThem = Math.min(stabilized, f.m.spec.unitsFor(back, scaling.targetUtilization()));
        if (forThem > sinceHold) {
          return new Window(forThem, hold, true, back);
        }
      }
    }
    return new Window(sinceHold, hold, true, 0);
  }

  /**
   * Viewers the region's relays in service could admit within {@code regain}: their whole capacity
   * until the region's audience has once come back from a collapse (how fast it comes back is not
   * known before), then no more than the demand now plus the fastest rise seen within the hour kept
   * up for {@code regain} (a sawtooth's audience climbs back over minutes, an ad break's in
   * seconds); 0 if the relays were not read.
   */
  private int admittedBy(Observation obs, String region, Duration regain) {
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    if (relays == null) {
      return 0;
    }
    int capacity = relays.inService() * catalog.get(relays.id()).unitCapacity();
    Comebacks seen = comebacks.get(region);
    if (!seen.cameBack) {
      return capacity;
    }
    // The demand apply noted this tick, not read again.
    double back = seen.lastDemand + seen.fastest.value * regain.toSeconds();
    return (int) Math.min(capacity, Math.ceil(back));
  }

  /**
   * One region's audience, as the guard needs it to judge how fast it can come back: the fastest it
   * rose in a tick within the hour (viewers a second); the most that came back within a relay's
   * regain time, to a level it had held, within the hour (viewers); and whether its relays have
   * scaled out again after a collapse.
   */
  private static final class Comebacks {
    private final HeldLevel held;
    private final Trailing lowWithinRegain;

    private Instant lastAt;
    double lastDemand;
    final MostWithinHour fastest = new MostWithinHour();
    final MostWithinHour mostBack = new MostWithinHour();
    boolean cameBack;

    Comebacks(HeldLevel held, Duration regain) {
      this.held = held;
      this.lowWithinRegain = Trailing.lowest(regain);
    }

    void note(Instant now, double demand) {
      double heldBefore = held.before(now);
      double lowBefore = lowWithinRegain.extreme(now, demand);
      if (lastAt != null && now.isAfter(lastAt)) {
        double rise = (demand - lastDemand) / (Duration.between(lastAt, now).toMillis() / 1000.0);
        fastest.offer(now, rise);
        // A rise to a level held within the window is an audience returning (an ad break's end);
        // one above it is a surge, which a collapse's hold must not expect to repeat.
        double back = demand - lowBefore;
        if (demand <= heldBefore) {
          mostBack.offer(now, back);
        }
      }
      held.note(now, demand);
      lowWithinRegain.note(now, demand);
      lastAt = now;
      lastDemand = demand;
    }
  }

  /**
   * The most of a quantity offered within the hour (never below 0): once the most is an hour old,
   * the next offer replaces it, whatever it is.
   */
  private static final class MostWithinHour {
    private static final Duration HOUR = Duration.ofHours(1);

    private Instant at;
    double value;

    void offer(Instant now, double v) {
      if (at == null || v >= value || now.isAfter(at.plus(HOUR))) {
        value = Math.max(0, v);
        at = now;
      }
    }
  }

  /**
   * The warm pool to keep beside {@code target} units: the most the planner proposed within the
   * scale-in stabilization window, or, when demand has fallen, every instance given up since the
   * peak of the last {@link FleetSpec#keepStoppedFor}. Given up into the pool (reuse on scale-in)
   * they cost their volumes only, and an audience that comes back finds them a warm boot away
   * instead of a cold one; a pool the planner shrank a moment ago (a flapping region's joins moved
   * back for a minute, taking the pool they had brought with them) would take a cold boot and its
   * refill's running price to stand again. Services have no pool: they note no peak (see {@link
   * #guard}) and propose none, so they keep what was proposed.
   */
  private static int pool(Proposal p, Memory m, int target, Instant now) {
    int proposed = Math.max(p.warmPool(), m.highestPoolSince(now.minus(m.window)));
    return Math.max(
        Math.min(proposed, Math.max(p.warmPool(), m.spec.max() - target)),
        Math.min(m.spec.max() - target, m.peakInService() - target));
  }

  /** Why the metrics this fleet is sized on cannot be trusted now, if they cannot. */
  private Optional<String> staleness(Observation obs, FleetId fleet) {
    List<String> bad = seriesUnread(obs, fleet);
    if (fleet.kind() != FleetKind.TRANSCODE) {
      countedOnEveryRelay(obs, fleet.region(), bad);
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", bad));
  }

  /**
   * The series this fleet is sized on that are missing or stale. A region's demand is its share of
   * each market it serves, and a market's size needs every region's series: one unreadable series
   * anywhere in those markets blocks the scale-in.
   */
  private List<String> seriesUnread(Observation obs, FleetId fleet) {
    Metrics m = obs.metrics();
    Duration staleAfter = scaling.staleAfter();
    List<String> bad = new ArrayList<>();
    if (fleet.kind() == FleetKind.TRANSCODE) {
      check(
          m.streams().get(fleet.region()), "streams " + fleet.region(), obs.now(), staleAfter, bad);
    } else {
      for (Market market : config.markets()) {
        if (market.servedBy().stream().anyMatch(s -> s.regionId().equals(fleet.region()))) {
          MarketRegion key = new MarketRegion(market.code(), fleet.region());
          check(m.viewers().get(key), "viewers " + key, obs.now(), staleAfter, bad);
        }
      }
    }
    return bad;
  }

  /** The regions of every market {@code region} serves, itself included. */
  private Set<String> servingRegions(String region) {
    Set<String> regions = new TreeSet<>();
    for (Market market : config.markets()) {
      if (market.servedBy().stream().anyMatch(s -> s.regionId().equals(region))) {
        market.servedBy().forEach(s -> regions.add(s.regionId()));
      }
    }
    return regions;
  }

  /**
   * A region's viewer counts are a sum over the relays that published them: with fewer relays
   * reporting than it has in service (an agent that cannot reach CloudWatch), the sum misses the
   * rest's viewers and reads as an audience leaving. That is data not read, however fresh.
   */
  private static void countedOnEveryRelay(Observation obs, String region, List<String> bad) {
    Sample reporting = obs.metrics().relaysReporting().get(region);
    FleetState relays = obs.fleets().get(FleetId.relay(region));
    if (reporting != null && relays != null && reporting.value() < relays.inService()) {
      bad.add(
          String.format(
              Locale.ROOT,
              "viewers of %s counted on %.0f of its %d relays in service",
              region,
              reporting.value(),
              relays.inService()));
    }
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
      cost += s.hourlyUsd(p.target(), p.warmPool());
    }
    for (FleetState unread : obs.unreadFleets().values()) {
      cost += catalog.hourlyUsd(unread);
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
   * scale out, and the highest of its recent recommendations and warm pools ({@link
   * RecentHighest}). Those older than {@code forgetBefore} are forgotten: the stabilization window
   * starts a tick after it, and the regain window is used only when it is the shorter.
   */
  private static final class Memory {
    final FleetSpec spec;

    /** The fleet as its reasons name it ({@code relay eu-west-1}), made once. */
    final String name;

    Instant firstSeen;
    Instant scaledOut;

    /** When the last scale-in after a collapse began, until it came back or was forgotten. */
    Instant collapsedAt;

    /** The units the fleet had when that scale-in began. */
    int collapsedFrom;

    /** When that collapse last gave capacity up. */
    Instant gaveUpAt;

    /** How long after its last collapse's scale-in the fleet had to scale out again, if it did. */
    Duration cameBackAfter;

    /** Units the scale-in going on has earned and not yet removed, and its last tick. */
    private double scaleInCredit;

    private Instant pacedAt;

    /**
     * Units to remove this tick for a scale-in of {@code perPeriod} units a metrics period: a
     * scale-in that begins (or begins again after a tick without one) takes its first period's
     * units at once, and then earns them at that pace in time. With a 10 s tick, every tick removes
     * {@code perPeriod}.
     */
    int paced(Instant now, int perPeriod, Duration tick) {
      double share = tick.toMillis() / (double) Metrics.PERIOD.toMillis();
      boolean goingOn = pacedAt != null && !now.isAfter(pacedAt.plus(tick).plus(tick.dividedBy(2)));
      scaleInCredit = (goingOn ? scaleInCredit : perPeriod * (1 - share)) + perPeriod * share;
      pacedAt = now;
      int units = (int) Math.floor(scaleInCredit + 1e-9);
      scaleInCredit = Math.max(0, scaleInCredit - units);
      return units;
    }

    /**
     * A scale-out from {@code current} to {@code target} units, {@code regain} being how long
     * getting capacity back takes: the collapse before it was a swing, an audience that came back
     * before what it gave up could be of use, if either
     *
     * <ul>
     *   <li>its scale-in began no longer ago than {@code regain}, however little this asks back: a
     *       swing's climb is often met a step at a time (an oscillation's first step back took 2 of
     *       the 3 relays its trough gave up, its peak the rest a minute later); or
     *   <li>it last gave capacity up no longer ago than {@code regain}, and this asks back most of
     *       what it gave up: a descent given up a relay a tick for 70 s, then the audience back at
     *       once (a swing up in 20 s, down over 80 s, every 150 s), met every climb with 11 of the
     *       18 relays it needed. Asking back a little of it is a long decline's bump (a real
     *       trace's, after 160 s of decline), and holding the rest of that decline for as long
     *       bought nothing.
     * </ul>
     */
    void cameBack(Instant now, Duration regain, int current, int target) {
      if (collapsedAt == null) {
        return;
      }
      boolean soonAfterItBegan = !now.isAfter(collapsedAt.plus(regain));
      boolean mostOfItSoonAfterItsLast =
          !now.isAfter(gaveUpAt.plus(regain)) && 2 * (target - current) >= collapsedFrom - current;
      // Back later than that: the trough was long enough to give capacity up; nothing to hold.
      cameBackAfter =
          soonAfterItBegan || mostOfItSoonAfterItsLast ? Duration.between(collapsedAt, now) : null;
      collapsedAt = null;
    }

    /** A collapse that has not come back within {@code window} is not a swing: forget both. */
    void forgetCollapse(Instant now, Duration window) {
      if (collapsedAt != null && now.isAfter(collapsedAt.plus(window))) {
        collapsedAt = null;
        cameBackAfter = null;
      }
    }

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

    /** The recent recommendations, and the warm pools proposed with them. */
    private final RecentHighest targets = new RecentHighest();

    private final RecentHighest pools = new RecentHighest();

    /** The scale-in stabilization window: how long a proposed pool is kept. */
    final Duration window;

    Memory(FleetSpec spec, Duration window) {
      this.spec = spec;
      this.window = window;
      this.name = spec.id().toString();
      Duration keep = spec.keepStoppedFor();
      this.keepMillis =
          keep.getSeconds() >= Long.MAX_VALUE / 4_000 ? Long.MAX_VALUE / 4 : keep.toMillis();
    }

    void remember(Instant now, int units, int warmPool, Instant forgetBefore) {
      if (firstSeen == null) {
        firstSeen = now;
      }
      long at = now.toEpochMilli();
      long forget = forgetBefore.toEpochMilli();
      targets.note(at, units, forget);
      pools.note(at, warmPool, forget);
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
      return targets.since(since.toEpochMilli());
    }

    /** The largest warm pool proposed at or after {@code since}; 0 if none. */
    int highestPoolSince(Instant since) {
      return pools.since(since.toEpochMilli());
    }
  }
}
