package dev.liffey.cli;

import dev.liffey.autoscaler.ops.FreezeActions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code 90s}, {@code 45m}, {@code 3h}, {@code 7d}: how on-call types a duration, up to a bound (a
 * hold by default, {@link Lookback} for how far back to read). Picocli names the option on error.
 */
class DurationConverter implements ITypeConverter<Duration> {
  /** The longest an on-call change holds (--for, an event's --duration and --prewarm). */
  static final Duration MAX_HOLD = Duration.ofDays(7);

  /** As far back as history reads: it reads the audit log a day (one query) at a time. */
  static final Duration MAX_LOOKBACK = Duration.ofDays(31);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

  private final Duration max;
  private final String bound;

  DurationConverter() {
    this(
        MAX_HOLD,
        "the longest an on-call change holds: use %s or less (a lasting change belongs in"
            + " edge-regions.yaml)");
  }

  DurationConverter(Duration max, String bound) {
    this.max = max;
    this.bound = bound;
  }

  /**
   * Now plus {@code d}, to the second: the "until" of a floor, override or pin, as on-call reads it
   * back.
   */
  static Instant fromNow(Duration d) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(d);
  }

  @Override
  public Duration convert(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new TypeConversionException(
          "'"
              + text
              + "' is not a duration: use a positive number and s, m, h or d,"
              + " like 45m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.compareTo(max) > 0) {
      String most = max.toDays() + "d";
      throw new TypeConversionException(
          "'" + text + "' is more than " + most + ", " + String.format(bound, most));
    }
    return d;
  }

  /** {@code freeze --for}: up to {@link FreezeActions#LONGEST}. */
  static final class FreezeSpan extends DurationConverter {
    FreezeSpan() {
      super(
          FreezeActions.LONGEST,
          "the longest a freeze holds: use %s or less, and freeze again before it ends to"
              + " hold it longer");
    }
  }

  /** {@code history --since}: up to {@link #MAX_LOOKBACK}. */
  static final class Lookback extends DurationConverter {
    Lookback() {
      super(MAX_LOOKBACK, "as far back as history reads (a query a day): use %s or less");
    }
  }
}
