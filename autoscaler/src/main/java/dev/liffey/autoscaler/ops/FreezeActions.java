package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.Freeze;
import dev.liffey.autoscaler.engine.ControlState.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Freezes: the autoscaler stops acting on a region, a fleet, or everything, for a while. Every
 * freeze ends: one left in place after an incident would silently stop the autoscaler for good.
 */
public final class FreezeActions {
  /** How long a freeze lasts when on-call does not say. */
  public static final Duration DEFAULT = Duration.ofHours(2);

  /** The longest freeze: a day; to hold longer, freeze again (it replaces the one there). */
  public static final Duration LONGEST = Duration.ofDays(1);

  private final ChangeDesk desk;

  public FreezeActions(ChangeDesk desk) {
    this.desk = desk;
  }

  /**
   * Freezes what {@code region} and {@code fleet} select (everything when both are empty) for
   * {@code lasting}.
   */
  public Outcome freeze(Optional<String> region, Optional<String> fleet, Duration lasting) {
    if (lasting.compareTo(LONGEST) > 0) {
      throw new Refused(
          "--for "
              + lasting.toHours()
              + "h is longer than a freeze may last (at most 24h): freeze again"
              + " before it ends to hold it longer");
    }
    ControlState control = desk.look();
    Instant until = desk.now().plus(lasting);
    Key key = Key.freeze(region, fleet);
    Freeze scope = new Freeze(region, fleet, until, "", "");
    String what = "freeze " + Entries.scope(scope) + " until " + until;
    return desk.apply(
        new ChangeDesk.Change(
            "freeze",
            what + Entries.replacing(control, key),
            "froze " + Entries.scope(scope) + " until " + until,
            control.entry(key).map(Entries::describe).orElse("not frozen"),
            "frozen " + key.id() + " until " + until,
            who ->
                List.of(
                    Write.put(
                        new Freeze(region, fleet, until, desk.reason(), who),
                        control.version(key))),
            () -> {},
            List.of()));
  }

  /** Lifts the freeze made with the same {@code region} and {@code fleet}. */
  public Outcome unfreeze(Optional<String> region, Optional<String> fleet) {
    ControlState control = desk.look();
    Key key = Key.freeze(region, fleet);
    Freeze scope = new Freeze(region, fleet, Instant.MAX, "", "");
    Optional<ControlState.Entry> frozen = control.entry(key);
    if (frozen.isEmpty()) {
      throw new Refused(
          "nothing to unfreeze: no freeze on "
              + Entries.scope(scope)
              + " (see 'liffey status' for the freezes in force, and 'liffey history' for what was frozen)");
    }
    return desk.apply(
        new ChangeDesk.Change(
            "unfreeze",
            "unfreeze " + Entries.scope(scope) + " (the " + Entries.describe(frozen.get()) + ")",
            "unfroze " + Entries.scope(scope),
            Entries.describe(frozen.get()),
            "not frozen",
            who -> List.of(Write.remove(key, control.version(key))),
            () -> {},
            List.of()));
  }
}
