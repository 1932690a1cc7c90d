package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.AddedEvent;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.EventPrewarm;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Market;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Known events added at run time: the autoscaler pre-warms for them as for those in
 * edge-regions.yaml (relay floors from the pre-warm time, each the event's own entry).
 */
public final class EventActions {
  private final EdgeConfig config;
  private final ChangeDesk desk;

  public EventActions(EdgeConfig config, ChangeDesk desk) {
    this.config = config;
    this.desk = desk;
  }

  /** Adds {@code event}; checked before anything is read. */
  public Outcome add(KnownEvent event) {
    String name = event.name();
    if (config.market(event.market()).isEmpty()) {
      throw new Refused(
          "unknown market '"
              + event.market()
              + "': use one of "
              + config.markets().stream().map(Market::code).collect(Collectors.joining(", ")));
    }
    if (name.isBlank() || name.contains("#")) {
      throw new Refused("--name '" + name + "' must be non-empty text without '#'");
    }
    if (event.expectedViewers() < 1) {
      throw new Refused(
          "--viewers " + event.expectedViewers() + " is not an audience: use 1 or more");
    }
    if (!event.end().isAfter(desk.now())) {
      throw new Refused(
          "--start "
              + event.start()
              + " plus --duration has passed already: nothing to pre-warm for");
    }
    if (config.events().stream().anyMatch(e -> e.name().equals(name))) {
      throw new Refused(
          "event '" + name + "' is in edge-regions.yaml already: pick another --name");
    }
    ControlState control = desk.look();
    Key key = Key.event(name);
    if (control.version(key) > 0) {
      throw new Refused(
          "event '"
              + name
              + "' was added already: 'liffey events remove --name \""
              + name
              + "\"' first, or pick another --name");
    }
    List<CapacityFloor> floors = EventPrewarm.floors(config, event);
    Instant prewarmAt = EventPrewarm.prewarmAt(config, event);
    String plan =
        String.format(Locale.ROOT, "%,d", event.expectedViewers())
            + " "
            + event.market()
            + " viewers at "
            + event.start()
            + ", relay floors "
            + describe(floors)
            + " from "
            + prewarmAt
            + " until "
            + EventPrewarm.floorsUntil(event);
    List<String> notes =
        prewarmAt.isAfter(desk.now())
            ? List.of()
            : List.of(
                "its pre-warm time has come: the"
                    + " autoscaler writes the floors within a minute; with the autoscaler down, use 'liffey prewarm'");
    return desk.apply(
        new ChangeDesk.Change(
            "event add",
            "add event '" + name + "': " + plan,
            "added event '" + name + "': " + plan,
            "",
            "event '" + name + "': " + plan,
            who -> List.of(Write.put(new AddedEvent(event), 0)),
            () -> {},
            notes));
  }

  /** Removes an added event and the relay floors written for it. */
  public Outcome remove(String name) {
    if (config.events().stream().anyMatch(e -> e.name().equals(name))) {
      throw new Refused(
          "event '"
              + name
              + "' is in edge-regions.yaml: remove it there and redeploy the autoscaler");
    }
    ControlState control = desk.look();
    Key key = Key.event(name);
    if (control.version(key) == 0) {
      throw new Refused("no event '" + name + "' was added: 'liffey events list' shows the names");
    }
    List<CapacityFloor> floors =
        control.floors().stream().filter(f -> f.event().equals(Optional.of(name))).toList();
    String what =
        "event '"
            + name
            + "'"
            + (floors.isEmpty() ? "" : " and its relay floors " + describe(floors));
    return desk.apply(
        new ChangeDesk.Change(
            "event remove",
            "remove " + what,
            "removed " + what,
            "event '" + name + "', floors " + describe(floors),
            "",
            who -> {
              List<Write> writes =
                  new ArrayList<>(List.of(Write.remove(key, control.version(key))));
              floors.forEach(f -> writes.add(Write.remove(f.key(), control.version(f.key()))));
              return writes;
            },
            () -> {},
            List.of()));
  }

  public static String describe(List<CapacityFloor> floors) {
    return floors.stream()
        .map(f -> f.region() + " ≥ " + f.capacity())
        .collect(Collectors.joining(", "));
  }
}
