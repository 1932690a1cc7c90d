package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.AddedEvent;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.ControlState.CapacityOverride;
import dev.liffey.autoscaler.engine.ControlState.Drain;
import dev.liffey.autoscaler.engine.ControlState.Entry;
import dev.liffey.autoscaler.engine.ControlState.Freeze;
import dev.liffey.autoscaler.engine.ControlState.LadderOrder;
import dev.liffey.autoscaler.engine.ControlState.RoutePin;
import dev.liffey.core.config.KnownEvent;
import java.time.Instant;

/** Control-table entries in on-call's words. */
public final class Entries {
  private Entries() {}

  public static String describe(Entry entry) {
    if (entry instanceof CapacityFloor f) {
      return "floor of "
          + f.capacity()
          + " on "
          + f.fleet()
          + " "
          + f.region()
          + " until "
          + f.until()
          + by(f.who(), f.reason());
    } else if (entry instanceof CapacityOverride o) {
      return o.fleet()
          + " "
          + o.region()
          + " held at "
          + o.capacity()
          + " until "
          + o.until()
          + by(o.who(), o.reason());
    } else if (entry instanceof Freeze f) {
      return "freeze on " + scope(f) + " " + until(f) + by(f.who(), f.reason());
    } else if (entry instanceof RoutePin p) {
      return p.market()
          + " pinned "
          + p.percent()
          + "% to "
          + p.region()
          + " until "
          + p.until()
          + by(p.who(), p.reason());
    } else if (entry instanceof Drain d) {
      return d.region() + " drained since " + d.since() + by(d.who(), d.reason());
    } else if (entry instanceof LadderOrder o) {
      return ladders(o) + " until " + o.until() + by(o.who(), o.reason());
    }
    KnownEvent e = ((AddedEvent) entry).event();
    return "event '"
        + e.name()
        + "': "
        + e.expectedViewers()
        + " "
        + e.market()
        + " viewers at "
        + e.start();
  }

  /** {@code ladders of eu-west-1 held}, {@code every stream of eu-west-1 on 720/480/360}. */
  public static String ladders(LadderOrder o) {
    return o.forced()
        .map(l -> "every stream of " + o.region() + " on " + l.label())
        .orElse("ladders of " + o.region() + " held");
  }

  /** {@code , replacing <the entry there now>} when {@code control} has one at {@code key}. */
  public static String replacing(ControlState control, ControlState.Key key) {
    return control.entry(key).map(e -> ", replacing the " + describe(e)).orElse("");
  }

  /** {@code relay in eu-west-1}, {@code every fleet in every region}. */
  public static String scope(Freeze f) {
    return f.fleet().orElse("every fleet") + " in " + f.region().orElse("every region");
  }

  /**
   * {@code until 2026-12-01T02:00:00Z}, or {@code until unfrozen} for a freeze made before freezes
   * had an end.
   */
  public static String until(Freeze f) {
    return f.until().equals(Instant.MAX) ? "until unfrozen" : "until " + f.until();
  }

  private static String by(String who, String reason) {
    return " by " + who + " (" + reason + ")";
  }
}
