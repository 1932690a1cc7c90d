package dev.liffey.autoscaler.engine.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Each region's relays in service at every tick, kept for as long as a reading may be old: how many
 * were in service all through a period, and so had to publish in it. A relay that came into service
 * after its period began may not have published in it yet, and is no silent relay: counted as one,
 * every scale-out read as a surge of (in service / reporting) and, in the daemon soak, took the
 * fleets to their ceilings within four ticks. Not thread-safe; one per policy.
 */
final class RelaysThroughout {
  private record Seen(Instant at, int inService) {}

  private final Duration keep;
  private final Duration gap;
  private final Map<String, Deque<Seen>> byRegion = new HashMap<>();

  /**
   * @param keep how old a reading may be and still be used (older ones are stale)
   * @param gap ticks further apart than this were not one watch (a replica that led, then did not,
   *     then led again): relays may have come and gone between them, so what was seen before is
   *     forgotten
   */
  RelaysThroughout(Duration keep, Duration gap) {
    this.keep = keep;
    this.gap = gap;
  }

  /** {@code region} has {@code inService} relays in service at {@code now}. */
  void saw(String region, Instant now, int inService) {
    Deque<Seen> seen = byRegion.computeIfAbsent(region, r -> new ArrayDeque<>());
    if (!seen.isEmpty() && seen.peekLast().at().isBefore(now.minus(gap))) {
      seen.clear();
    }
    seen.addLast(new Seen(now, inService));
    // The newest entry older than the window stays: it says how many were in service at its start.
    Instant from = now.minus(keep);
    while (seen.size() > 1) {
      Seen first = seen.removeFirst();
      if (seen.peekFirst().at().isAfter(from)) {
        seen.addFirst(first);
        break;
      }
    }
  }

  /**
   * The fewest of {@code region}'s relays in service at any time from {@code since} until the last
   * tick seen: those in service all through. Null when no tick seen was at or before {@code since}
   * (just started, or just leading): how many were in service then is not known, and counting
   * relays that arrived since as silent would read a surge. The guard keeps every relay it cannot
   * count, so a silent one is not scaled in meanwhile.
   */
  Integer since(String region, Instant since) {
    Deque<Seen> seen = byRegion.get(region);
    if (seen == null || seen.isEmpty() || seen.peekFirst().at().isAfter(since)) {
      return null;
    }
    int fewest = Integer.MAX_VALUE;
    Seen inForce = null;
    for (Seen s : seen) {
      if (s.at().isAfter(since)) {
        fewest = Math.min(fewest, s.inService());
      } else {
        inForce = s;
      }
    }
    return Math.min(fewest, inForce.inService());
  }
}
