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
  SESSION,
  /**
   * key: a market code; value: how widely its viewers' session lengths spread about their mean, as
   * a coefficient of variation, {@value SessionLength#MIN_CV} (exponential) to {@value
   * SessionLength#MAX_CV}, from then on (absent or 0: exponential): {@link SessionLength}.
   */
  SESSION_CV,
  /**
   * key: {@code region/instance-type}; value: how many instances of that type EC2 can run there
   * from then on (a GPU shortage: 0 is none at all); a value at or above the group's maximum ends
   * it.
   */
  SHORTAGE,
  /**
   * key: a market code; value: bot clients trying to join from then on, each at least once per
   * metrics period, with tokens no relay can verify (forged, expired or for another stream). They
   * resolve the market's name as viewers do; every relay they reach refuses them as {@code
   * unverified} before it looks for a slot, so they never take one, but they are counted in {@code
   * JoinAttempts} (0 ends a flood).
   */
  BOTS,
  /**
   * key: a region id; value: the share of its relays whose agents publish their counts to
   * CloudWatch from then on, 0-1 (absent: all; 1 ends it): an agent that cannot reach CloudWatch,
   * or is throttled. The region's viewers and joins read as that share of what its relays hold (the
   * silent relays are no fuller than the rest), and so does the count of relays reporting; latency
   * and streams are unaffected.
   */
  PUBLISHING;

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
