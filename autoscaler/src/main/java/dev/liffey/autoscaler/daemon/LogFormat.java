package dev.liffey.autoscaler.daemon;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;
import java.util.Optional;

/**
 * How the daemon logs, from {@code LIFFEY_LOG_FORMAT}: {@code text} for people (the default), or
 * {@code json} for a log pipeline: one JSON object a line, and one line per change decided with its
 * region, fleet, before, after and reason as fields.
 */
enum LogFormat {
  TEXT,
  JSON;

  static final String VARIABLE = "LIFFEY_LOG_FORMAT";

  /** The format asked for; empty when the variable holds neither word. */
  static Optional<LogFormat> of(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(TEXT);
    }
    try {
      return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static LogFormat fromEnvironment() {
    return of(System.getenv(VARIABLE)).orElse(TEXT);
  }

  /**
   * Names logback.xml's appender for the format (a value it does not know logs as text; main
   * refuses it).
   */
  public static final class Appender extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
      return fromEnvironment().name();
    }
  }
}
