package dev.liffey.autoscaler.engine.guard;

import java.time.Duration;
import java.time.Instant;

/**
 * The highest level an audience held, without dipping below it, for at least {@code held} at some
 * point within the last {@code within}: what it can be expected to come back to. An ad break's
 * audience held its level for minutes before the break; a burst's peak lasted less than a launch,
 * and a surge's new high has not been held at all.
 */
final class HeldLevel {
  private final Duration held;
  private final Trailing low;
  private final Trailing levels;
  private Instant first;

  HeldLevel(Duration held, Duration within) {
    this.held = held;
    this.low = Trailing.lowest(held);
    this.levels = Trailing.highest(within);
  }

  /** The level held within the window before {@code now}'s sample is noted; 0 if none yet. */
  double before(Instant now) {
    return levels.extreme(now, 0);
  }

  void note(Instant now, double demand) {
    if (first == null) {
      first = now;
    }
    low.note(now, demand);
    if (!first.isAfter(now.minus(held))) { // watched for {@code held}: what it did not dip below
      levels.note(now, low.extreme(now, demand));
    }
  }
}
