package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.media.Ladder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What on-call has said, read from the control store each tick: capacity floors, freezes, route
 * pins, capacity overrides, drained regions, known events added at run time and ladder orders; the
 * autoscaler's last change to each fleet, and the ladders it last gave each region's streams (what
 * the transcoder agents apply).
 *
 * @param ladders per region, the ladder plan the autoscaler last wrote: what is in force
 * @param problems what went wrong reading it while the rest could be honoured, one line each: a
 *     malformed row skipped (naming its key), the primary region unreadable and the replica read
 * @param versions each entry's version as read (absent: 0, there is none); on-call's writes are
 *     conditional on the version it saw, so a change made meanwhile is refused, not overwritten
 */
public record ControlState(
    List<CapacityFloor> floors,
    List<Freeze> freezes,
    List<RoutePin> pins,
    List<CapacityOverride> overrides,
    List<Drain> drains,
    List<KnownEvent> events,
    Map<FleetId, LastAction> lastActions,
    List<String> problems,
    Map<Key, Long> versions,
    List<LadderOrder> ladderOrders,
    Map<String, LaddersInForce> ladders) {
  public static final ControlState EMPTY = new ControlState(List.of(), List.of(), List.of());

  public ControlState(
      List<CapacityFloor> floors,
      List<Freeze> freezes,
      List<RoutePin> pins,
      List<CapacityOverride> overrides,
      List<Drain> drains,
      List<KnownEvent> events,
      Map<FleetId, LastAction> lastActions,
      List<String> problems,
      Map<Key, Long> versions) {
    this(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        events,
        lastActions,
        problems,
        versions,
        List.of(),
        Map.of());
  }

  public ControlState(
      List<CapacityFloor> floors,
      List<Freeze> freezes,
      List<RoutePin> pins,
      List<CapacityOverride> overrides,
      List<Drain> drains,
      List<KnownEvent> events,
      Map<FleetId, LastAction> lastActions,
      List<String> problems) {
    this(floors, freezes, pins, overrides, drains, events, lastActions, problems, Map.of());
  }

  public ControlState(List<CapacityFloor> floors, List<Freeze> freezes, List<RoutePin> pins) {
    this(floors, freezes, pins, Map.of());
  }

  public ControlState(
      List<CapacityFloor> floors,
      List<Freeze> freezes,
      List<RoutePin> pins,
      Map<FleetId, LastAction> lastActions) {
    this(floors, freezes, pins, List.of(), List.of(), List.of(), lastActions, List.of());
  }

  public ControlState withProblems(List<String> p) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        events,
        lastActions,
        List.copyOf(p),
        versions,
        ladderOrders,
        ladders);
  }

  public ControlState withLastActions(Map<FleetId, LastAction> actions) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        events,
        actions,
        problems,
        versions,
        ladderOrders,
        ladders);
  }

  public ControlState withOverrides(List<CapacityOverride> o) {
    return new ControlState(
        floors,
        freezes,
        pins,
        o,
        drains,
        events,
        lastActions,
        problems,
        versions,
        ladderOrders,
        ladders);
  }

  public ControlState withDrains(List<Drain> d) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        d,
        events,
        lastActions,
        problems,
        versions,
        ladderOrders,
        ladders);
  }

  public ControlState withEvents(List<KnownEvent> e) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        e,
        lastActions,
        problems,
        versions,
        ladderOrders,
        ladders);
  }

  public ControlState withLadderOrders(List<LadderOrder> l) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        events,
        lastActions,
        problems,
        versions,
        List.copyOf(l),
        ladders);
  }

  public ControlState withLadders(Map<String, LaddersInForce> l) {
    return new ControlState(
        floors,
        freezes,
        pins,
        overrides,
        drains,
        events,
        lastActions,
        problems,
        versions,
        ladderOrders,
        Map.copyOf(l));
  }

  /** The version of the entry with this key as read; 0 when there is none. */
  public long version(Key key) {
    return versions.getOrDefault(key, 0L);
  }

  /** Every entry on-call (or a known event) has written, whatever its kind. */
  public List<Entry> entries() {
    List<Entry> all = new java.util.ArrayList<>();
    all.addAll(floors);
    all.addAll(freezes);
    all.addAll(pins);
    all.addAll(overrides);
    all.addAll(drains);
    events.forEach(e -> all.add(new AddedEvent(e)));
    all.addAll(ladderOrders);
    return all;
  }

  /** The entry with this key, if there is one. */
  public Optional<Entry> entry(Key key) {
    return entries().stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /**
   * The override in force for {@code fleet} at {@code now}, if any (the latest-ending one wins).
   */
  public Optional<CapacityOverride> overrideFor(FleetId fleet, Instant now) {
    if (overrides.isEmpty()) {
      return Optional
          .empty(); // the common case, asked for every fleet every tick: no stream to build
    }
    return overrides.stream()
        .filter(
            o ->
                o.until().isAfter(now)
                    && o.region().equals(fleet.region())
                    && selects(o.fleet(), fleet))
        .max(java.util.Comparator.comparing(CapacityOverride::until));
  }

  public Optional<Drain> drainOf(String region) {
    if (drains.isEmpty()) {
      return Optional.empty();
    }
    return drains.stream().filter(d -> d.region().equals(region)).findFirst();
  }

  /** On-call's ladder order in force on {@code region} at {@code now}, if any. */
  public Optional<LadderOrder> ladderOrderFor(String region, Instant now) {
    return ladderOrders.stream()
        .filter(o -> o.region().equals(region) && o.until().isAfter(now))
        .findFirst();
  }

  public boolean drained(String region) {
    return drainOf(region).isPresent();
  }

  public Set<String> drainedRegions() {
    return drains.stream().map(Drain::region).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The autoscaler's last change to a fleet, kept in the control store so a restart or a new leader
   * knows it.
   */
  public record LastAction(Instant at, int from, int to) {
    public boolean scaledOut() {
      return to > from;
    }
  }

  /**
   * The ladders the autoscaler last gave a region's streams, as written to the control store: what
   * its transcoder agents apply, and what the next plan is compared with.
   */
  public record LaddersInForce(Instant since, LadderPlan plan) {}

  /** The highest floor in force for {@code fleet} at {@code now}, if any. */
  public Optional<CapacityFloor> floorFor(FleetId fleet, Instant now) {
    if (floors.isEmpty()) {
      return Optional.empty();
    }
    return floors.stream()
        .filter(
            f -> f.until().isAfter(now) && f.region().equals(fleet.region()) && f.matches(fleet))
        .max(java.util.Comparator.comparingInt(CapacityFloor::capacity));
  }

  /** The freeze in force on {@code fleet} at {@code now}, if any. */
  public Optional<Freeze> freezeFor(FleetId fleet, Instant now) {
    if (freezes.isEmpty()) {
      return Optional.empty();
    }
    return freezes.stream()
        .filter(f -> f.until().isAfter(now))
        .filter(f -> f.region().map(r -> r.equals(fleet.region())).orElse(true))
        .filter(f -> f.fleet().map(n -> selects(n, fleet)).orElse(true))
        .findFirst();
  }

  /** Is routing frozen (a freeze with no region and no fleet, or one on fleet {@code routing})? */
  public Optional<Freeze> routingFreeze(Instant now) {
    return freezes.stream()
        .filter(
            f ->
                f.until().isAfter(now)
                    && f.region().isEmpty()
                    && f.fleet().map("routing"::equals).orElse(true))
        .findFirst();
  }

  public Optional<RoutePin> pinFor(String market, Instant now) {
    return pins.stream()
        .filter(p -> p.market().equals(market) && p.until().isAfter(now))
        .findFirst();
  }

  /** {@code relay}, {@code transcode} (every GPU group) or a service name select a fleet. */
  static boolean selects(String selector, FleetId fleet) {
    return switch (fleet.kind()) {
      case RELAY -> selector.equals("relay");
      case TRANSCODE -> selector.equals("transcode") || selector.equals(fleet.name());
      case SERVICE -> selector.equals(fleet.name());
    };
  }

  /**
   * What on-call (or a known event) has written to the control table: one row each, known by its
   * {@link Key}.
   */
  public sealed interface Entry
      permits CapacityFloor, Freeze, RoutePin, CapacityOverride, Drain, AddedEvent, LadderOrder {
    Key key();
  }

  /**
   * Which entry: its kind ({@code floor}, {@code freeze}, {@code pin}, {@code override}, {@code
   * drain}, {@code event}, {@code ladder}) and its id within the kind. Two writes with the same key
   * are the same entry.
   */
  public record Key(String kind, String id) {
    public static Key floor(String region, String fleet, Optional<String> event) {
      return new Key("floor", region + "#" + fleet + event.map(e -> "#" + e).orElse(""));
    }

    public static Key freeze(Optional<String> region, Optional<String> fleet) {
      return new Key("freeze", region.orElse(ANY) + "#" + fleet.orElse(ANY));
    }

    public static Key pin(String market) {
      return new Key("pin", market);
    }

    public static Key override(String region, String fleet) {
      return new Key("override", region + "#" + fleet);
    }

    public static Key drain(String region) {
      return new Key("drain", region);
    }

    public static Key event(String name) {
      return new Key("event", name);
    }

    public static Key ladder(String region) {
      return new Key("ladder", region);
    }

    @Override
    public String toString() {
      return kind + "#" + id;
    }
  }

  /** A freeze's region or fleet when it has none: every one. */
  public static final String ANY = "*";

  /**
   * "At least {@code capacity} units until {@code until}": on-call's, or a known event's ({@code
   * event} names it). Each is its own entry, so an event's floor never replaces, and so never
   * lowers, an on-call floor on the same fleet: the highest in force holds.
   */
  public record CapacityFloor(
      String region,
      String fleet,
      int capacity,
      Instant until,
      String reason,
      String who,
      Optional<String> event)
      implements Entry {
    /** On-call's floor. */
    public CapacityFloor(
        String region, String fleet, int capacity, Instant until, String reason, String who) {
      this(region, fleet, capacity, until, reason, who, Optional.empty());
    }

    boolean matches(FleetId id) {
      return selects(fleet, id);
    }

    @Override
    public Key key() {
      return Key.floor(region, fleet, event);
    }
  }

  /**
   * The autoscaler stops acting on what this selects (everything, when both are empty) until {@code
   * until}.
   */
  public record Freeze(
      Optional<String> region, Optional<String> fleet, Instant until, String reason, String who)
      implements Entry {
    @Override
    public Key key() {
      return Key.freeze(region, fleet);
    }
  }

  /**
   * On-call's "exactly {@code capacity} units until {@code until}": the autoscaler does not change
   * it.
   */
  public record CapacityOverride(
      String region, String fleet, int capacity, Instant until, String reason, String who)
      implements Entry {
    @Override
    public Key key() {
      return Key.override(region, fleet);
    }
  }

  /**
   * Every market moved off {@code region}; its capacity is kept (no scale-in) until it is
   * undrained.
   */
  public record Drain(String region, Instant since, String reason, String who) implements Entry {
    @Override
    public Key key() {
      return Key.drain(region);
    }
  }

  /** Send {@code percent} of {@code market} to {@code region} until a time. */
  public record RoutePin(
      String market, String region, int percent, Instant until, String reason, String who)
      implements Entry {
    @Override
    public Key key() {
      return Key.pin(market);
    }
  }

  /** A known event on-call added at run time ({@link #events()} holds the events themselves). */
  public record AddedEvent(KnownEvent event) implements Entry {
    @Override
    public Key key() {
      return Key.event(event.name());
    }
  }

  /**
   * On-call's word on a region's ladders until {@code until}: with {@code forced}, every stream on
   * that ladder (a stream that finds no slot on it waits); without, a hold: the autoscaler changes
   * none of the region's ladders, and the plan in force stays.
   */
  public record LadderOrder(
      String region, Optional<Ladder> forced, Instant until, String reason, String who)
      implements Entry {
    @Override
    public Key key() {
      return Key.ladder(region);
    }
  }
}
