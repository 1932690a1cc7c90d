package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.time.Instant;

/** One metric value and when it was measured. */
public record Sample(double value, Instant at) {
  public boolean staleAt(Instant now, Duration staleAfter) {
    return at.plus(staleAfter).isBefore(now);
  }
}
