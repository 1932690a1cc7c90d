package dev.liffey.autoscaler.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The lowest (or highest) of the samples noted over a trailing span, in O(1) a sample: a monotonic
 * queue, where each sample enters once and leaves once.
 */
final class Trailing {
  private final Duration span;
  private final boolean lowest;

  /** Samples kept, each better than every earlier one kept: the extreme first. */
  private final ArrayDeque<Instant> at = new ArrayDeque<>();

  private final ArrayDeque<Double> value = new ArrayDeque<>();

  private Trailing(Duration span, boolean lowest) {
    this.span = span;
    this.lowest = lowest;
  }

  static Trailing lowest(Duration span) {
    return new Trailing(span, true);
  }

  static Trailing highest(Duration span) {
    return new Trailing(span, false);
  }

  void note(Instant now, double v) {
    while (!value.isEmpty() && (lowest ? value.peekLast() >= v : value.peekLast() <= v)) {
      value.pollLast();
      at.pollLast();
    }
    value.addLast(v);
    at.addLast(now);
    forget(now);
  }

  /** The extreme of the samples within the span before {@code now}, or {@code none} if none. */
  double extreme(Instant now, double none) {
    forget(now);
    return value.isEmpty() ? none : value.peekFirst();
  }

  private void forget(Instant now) {
    Instant since = now.minus(span);
    while (!at.isEmpty() && at.peekFirst().isBefore(since)) {
      at.pollFirst();
      value.pollFirst();
    }
  }
}
