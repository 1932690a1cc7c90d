package dev.liffey.autoscaler.engine.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How far each weight may move this tick under {@code maxWeightShiftPerMinute}, read as the config
 * says it: in any minute, a weight moves at most that far. A tick's even share of it, rounded, is
 * more than the minute allows once six ticks in a row take it (40 a minute in 10 s ticks: 7 a tick
 * moved 42), so the weights in force over the last minute are remembered, and a weight moves a
 * tick's share, or what the minute has left if less: the limit less how far the weight already is
 * from the furthest of them. A new leader remembers nothing of the minute before it and moves a
 * tick's share at most. Not thread-safe.
 */
final class ShiftBudget {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final int perMinute;
  private final int perTick;
  private final Deque<Seen> seen = new ArrayDeque<>();

  /**
   * @param perMinute the most a weight moves in any minute
   * @param tick how often the router plans: a tick's even share of the minute's limit, rounded (at
   *     least 1), is the most a weight moves in one tick
   */
  ShiftBudget(int perMinute, Duration tick) {
    this.perMinute = perMinute;
    this.perTick =
        (int) Math.max(1, Math.round(perMinute * (double) tick.toMillis() / MINUTE.toMillis()));
  }

  /** Remembers the weights in force at {@code now}; forgets those a minute old or older. */
  void observe(Instant now, Map<String, Integer> weights) {
    if (!seen.isEmpty() && !now.isAfter(seen.peekLast().at())) {
      return; // the same tick planned again
    }
    seen.addLast(new Seen(now, Map.copyOf(weights)));
    while (!seen.peekFirst().at().isAfter(now.minus(MINUTE))) {
      seen.pollFirst();
    }
  }

  /**
   * How far each weight of {@code current} may move now: a tick's share, or the per-minute limit
   * less its furthest distance from the weights in force within the last minute, if less.
   */
  Map<String, Integer> room(Map<String, Integer> current) {
    Map<String, Integer> out = new HashMap<>();
    current.forEach(
        (region, w) -> {
          int moved = 0;
          for (Seen s : seen) {
            moved = Math.max(moved, Math.abs(w - s.weights().getOrDefault(region, w)));
          }
          out.put(region, Math.max(0, Math.min(perTick, perMinute - moved)));
        });
    return out;
  }

  private record Seen(Instant at, Map<String, Integer> weights) {}
}
