package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.KnownEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What on-call has said, read from the control store each tick: capacity floors, freezes, route pins,
 * capacity overrides, drained regions and known events added at run time; and the autoscaler's last
 * change to each fleet.
 *
 * @param problems what went wrong reading it while the rest could be honoured, one line each: a
 *     malformed row skipped (naming its key), the primary region unreadable and the replica read
 */
public record ControlState(
    List<CapacityFloor> floors, List<Freeze> freezes, List<RoutePin> pins, List<CapacityOverride> overrides,
    List<Drain> drains, List<KnownEvent> events, Map<FleetId, LastAction> lastActions, List<String> problems) {
  public static final ControlState EMPTY = new ControlState(List.of(), List.of(), List.of());

  public ControlState(List<CapacityFloor> floors, List<Freeze> freezes, List<RoutePin> pins) {
    this(floors, freezes, pins, Map.of());
  }

  public ControlState(
      List<CapacityFloor> floors, List<Freeze> freezes, List<RoutePin> pins, Map<FleetId, LastAction> lastActions) {
    this(floors, freezes, pins, List.of(), List.of(), List.of(), lastActions, List.of());
  }

  public ControlState withProblems(List<String> p) {
    return new ControlState(floors, freezes, pins, overrides, drains, events, lastActions, List.copyOf(p));
  }

  public ControlState withLastActions(Map<FleetId, LastAction> actions) {
    return new ControlState(floors, freezes, pins, overrides, drains, events, actions, problems);
  }

  public ControlState withOverrides(List<CapacityOverride> o) {
    return new ControlState(floors, freezes, pins, o, drains, events, lastActions, problems);
  }

  public ControlState withDrains(List<Drain> d) {
    return new ControlState(floors, freezes, pins, overrides, d, events, lastActions, problems);
  }

  public ControlState withEvents(List<KnownEvent> e) {
    return new ControlState(floors, freezes, pins, overrides, drains, e, lastActions, problems);
  }

  /** The override in force for {@code fleet} at {@code now}, if any (the latest-ending one wins). */
  public Optional<CapacityOverride> overrideFor(FleetId fleet, Instant now) {
    if (overrides.isEmpty()) {
      return Optional.empty(); // the common case, asked for every fleet every tick: no stream to build
    }
    return overrides.stream()
        .filter(o -> o.until().isAfter(now) && o.region().equals(fleet.region()) && selects(o.fleet(), fleet))
        .max(java.util.Comparator.comparing(CapacityOverride::until));
  }

  public Optional<Drain> drainOf(String region) {
    if (drains.isEmpty()) {
      return Optional.empty();
    }
    return drains.stream().filter(d -> d.region().equals(region)).findFirst();
  }

  public boolean drained(String region) {
    return drainOf(region).isPresent();
  }

  public Set<String> drainedRegions() {
    return drains.stream().map(Drain::region).collect(Collectors.toUnmodifiableSet());
  }

  /** The autoscaler's last change to a fleet, kept in the control store so a restart or a new leader knows it. */
  public record LastAction(Instant at, int from, int to) {
    public boolean scaledOut() {
      return to > from;
    }
  }

  /** The highest floor in force for {@code fleet} at {@code now}, if any. */
  public Optional<CapacityFloor> floorFor(FleetId fleet, Instant now) {
    if (floors.isEmpty()) {
      return Optional.empty();
    }
    return floors.stream()
        .filter(f -> f.until().isAfter(now) && f.region().equals(fleet.region()) && f.matches(fleet))
        .max(java.util.Comparator.comparingInt(CapacityFloor::capacity));
  }

  public Optional<Freeze> freezeFor(FleetId fleet) {
    if (freezes.isEmpty()) {
      return Optional.empty();
    }
    return freezes.stream()
        .filter(f -> f.region().map(r -> r.equals(fleet.region())).orElse(true))
        .filter(f -> f.fleet().map(n -> selects(n, fleet)).orElse(true))
        .findFirst();
  }

  /** Is routing frozen (a freeze with no region and no fleet, or one on fleet {@code routing})? */
  public Optional<Freeze> routingFreeze() {
    return freezes.stream()
        .filter(f -> f.region().isEmpty() && f.fleet().map("routing"::equals).orElse(true))
        .findFirst();
  }

  public Optional<RoutePin> pinFor(String market, Instant now) {
    return pins.stream().filter(p -> p.market().equals(market) && p.until().isAfter(now)).findFirst();
  }

  /** {@code relay}, {@code transcode} (every GPU group) or a service name select a fleet. */
  static boolean selects(String selector, FleetId fleet) {
    return switch (fleet.kind()) {
      case RELAY -> selector.equals("relay");
      case TRANSCODE -> selector.equals("transcode") || selector.equals(fleet.name());
      case SERVICE -> selector.equals(fleet.name());
    };
  }

  /** On-call's "at least {@code capacity} units until {@code until}". */
  public record CapacityFloor(String region, String fleet, int capacity, Instant until, String reason, String who) {
    boolean matches(FleetId id) {
      return selects(fleet, id);
    }
  }

  /** The autoscaler stops acting on what this selects (everything, when both are empty). */
  public record Freeze(Optional<String> region, Optional<String> fleet, String reason, String who) {}

  /** On-call's "exactly {@code capacity} units until {@code until}": the autoscaler does not change it. */
  public record CapacityOverride(String region, String fleet, int capacity, Instant until, String reason, String who) {}

  /** Every market moved off {@code region}; its capacity is kept (no scale-in) until it is undrained. */
  public record Drain(String region, Instant since, String reason, String who) {}

  /** Send {@code percent} of {@code market} to {@code region} until a time. */
  public record RoutePin(String market, String region, int percent, Instant until, String reason, String who) {}
}
