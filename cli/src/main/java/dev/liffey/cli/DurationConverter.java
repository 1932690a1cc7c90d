package dev.liffey.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 90s}, {@code 45m}, {@code 3h}, {@code 7d}: how on-call types a duration. Picocli names the option on error. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

  /** Now plus {@code d}, to the second: the "until" of a floor, override or pin, as on-call reads it back. */
  static Instant fromNow(Duration d) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(d);
  }

  @Override
  public Duration convert(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new TypeConversionException("'" + text + "' is not a duration: use a positive number and s, m, h or d,"
          + " like 45m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
