package dev.liffey.autoscaler.sim;

import java.util.Locale;
import java.util.Optional;

/** The kinds of rows in a trace. */
public enum TraceKind {
  /** key: a market code; value: concurrent viewers in that market. */
  VIEWERS,
  /** key: a region id; value: live ingest streams. */
  STREAMS,
  /** key: a region id; value: extra edge latency in ms from then on (0 clears it). */
  LATENCY,
  /**
   * key: a market code; value: how long its viewers watch, on average, in seconds, from then on
   * (absent: {@link SimulatedCloud#DEFAULT_SESSION}).
   */
  SESSION;

  public String csvName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<TraceKind> fromCsv(String text) {
    for (TraceKind k : values()) {
      if (k.csvName().equals(text)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
