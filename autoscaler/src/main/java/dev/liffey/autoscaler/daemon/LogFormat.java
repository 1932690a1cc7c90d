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
   * The level logback.xml's appender for {@code format} passes from: {@code ALL} for the format
   * asked for (a value it does not know logs as text; main refuses it), {@code OFF} for the other.
   * Both appenders are attached, so logback's configuration has nothing unreferenced to warn about:
   * a warning made it print thirty lines of its own status before the daemon's first.
   */
  public static final class Threshold extends PropertyDefinerBase {
    private LogFormat format = TEXT;

    /** Called by logback with the {@code <format>} element's text. */
    public void setFormat(String name) {
      format = valueOf(name.strip().toUpperCase(Locale.ROOT));
    }

    @Override
    public String getPropertyValue() {
      return fromEnvironment() == format ? "ALL" : "OFF";
    }
  }
}
