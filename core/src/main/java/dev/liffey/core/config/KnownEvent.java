package dev.liffey.core.config;

import java.time.Duration;
import java.time.Instant;

/**
 * An audience known in advance, pre-warmed for.
 *
 * @param name for people ("Champions Cup final")
 * @param market where the viewers are
 * @param start when it starts
 * @param duration how long it lasts
 * @param expectedViewers the peak concurrent viewers expected
 * @param prewarmLead how long before the start capacity must be in service
 */
public record KnownEvent(
    String name,
    String market,
    Instant start,
    Duration duration,
    int expectedViewers,
    Duration prewarmLead) {

  public Instant end() {
    return start.plus(duration);
  }
}
