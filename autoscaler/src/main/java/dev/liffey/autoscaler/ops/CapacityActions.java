package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.ControlState.CapacityOverride;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Capacity, as on-call changes it: a floor raised now ({@code prewarm}), an exact size held ({@code
 * scale}), and the release of either. Each works with the autoscaler down: the group is set here,
 * and the entry tells the autoscaler to keep it.
 */
public final class CapacityActions {
  private final ChangeDesk desk;
  private final Scalable fleets;

  public CapacityActions(ChangeDesk desk, Scalable fleets) {
    this.desk = desk;
    this.fleets = fleets;
  }

  /** At least {@code capacity} for {@code lasting}, raised now; the autoscaler may go higher. */
  public Outcome prewarm(FleetId id, int capacity, Duration lasting) {
    ControlState control = desk.look();
    FleetState now = fleets.read(id);
    Instant until = desk.now().plus(lasting);
    int target = Math.max(now.desired(), capacity);
    List<String> chosen = new ArrayList<>();
    Key key = Key.floor(id.region(), id.name(), Optional.empty());
    return desk.apply(
        new ChangeDesk.Change(
            "prewarm",
            "hold "
                + id
                + " at "
                + capacity
                + " or more until "
                + until
                + " ("
                + now.desired()
                + " now"
                + Entries.replacing(control, key)
                + ")",
            "prewarm "
                + id
                + ": "
                + now.desired()
                + "→"
                + target
                + ", held at "
                + capacity
                + "+ until "
                + until,
            id + "=" + now.desired(),
            id + "=" + target + ", floor " + capacity + " until " + until,
            who ->
                List.of(
                    Write.put(
                        new CapacityFloor(
                            id.region(), id.name(), capacity, until, desk.reason(), who),
                        control.version(key))),
            () -> {
              if (target != now.desired()) {
                fleets.set(now, target).ifPresent(chosen::add);
              }
            },
            chosen));
  }

  /**
   * Lifts on-call's floor on {@code id}; the autoscaler sizes it again (scale-in stays gradual).
   */
  public Outcome liftFloor(FleetId id) {
    ControlState control = desk.look();
    Key key = Key.floor(id.region(), id.name(), Optional.empty());
    Optional<CapacityFloor> floor =
        control.floors().stream().filter(f -> f.key().equals(key)).findFirst();
    if (floor.isEmpty()) {
      return new Outcome.NothingToDo("no floor on " + id);
    }
    CapacityFloor f = floor.get();
    return desk.apply(
        new ChangeDesk.Change(
            "release",
            "lift the floor of "
                + f.capacity()
                + " on "
                + id
                + " (set by "
                + f.who()
                + " until "
                + f.until()
                + ")",
            "lifted the floor of " + f.capacity() + " on " + id,
            id + " floor " + f.capacity() + " until " + f.until(),
            "no floor",
            who -> List.of(Write.remove(key, control.version(key))),
            () -> {},
            List.of("the autoscaler sizes " + id + " again (scale-in stays gradual)")));
  }

  /**
   * Exactly {@code capacity} now, held for {@code lasting}: the autoscaler does not change it, up
   * or down.
   */
  public Outcome scale(FleetId id, int capacity, Duration lasting) {
    ControlState control = desk.look();
    FleetState now = fleets.read(id);
    Instant until = desk.now().plus(lasting);
    Key key = Key.override(id.region(), id.name());
    List<String> chosen = new ArrayList<>();
    return desk.apply(
        new ChangeDesk.Change(
            "scale",
            "set "
                + id
                + " from "
                + now.desired()
                + " to "
                + capacity
                + " and hold it there until "
                + until
                + Entries.replacing(control, key),
            "scale " + id + ": " + now.desired() + "→" + capacity + ", held until " + until,
            id + "=" + now.desired(),
            id + "=" + capacity + ", held until " + until,
            who ->
                List.of(
                    Write.put(
                        new CapacityOverride(
                            id.region(), id.name(), capacity, until, desk.reason(), who),
                        control.version(key))),
            () -> fleets.set(now, capacity).ifPresent(chosen::add),
            chosen));
  }

  /** Ends the override on {@code id}: the autoscaler sizes it again. */
  public Outcome releaseOverride(FleetId id) {
    ControlState control = desk.look();
    Key key = Key.override(id.region(), id.name());
    Optional<CapacityOverride> held = control.overrideFor(id, desk.now());
    if (held.isEmpty()) {
      return new Outcome.NothingToDo("no override on " + id);
    }
    return desk.apply(
        new ChangeDesk.Change(
            "release",
            "release the override holding "
                + id
                + " at "
                + held.get().capacity()
                + " (set by "
                + held.get().who()
                + ")",
            "released " + id,
            id + " held at " + held.get().capacity(),
            "autoscaled",
            who -> List.of(Write.remove(key, control.version(key))),
            () -> {},
            List.of("the autoscaler sizes " + id + " again")));
  }
}
