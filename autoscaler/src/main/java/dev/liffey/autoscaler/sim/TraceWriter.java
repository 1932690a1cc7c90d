package dev.liffey.autoscaler.sim;

import java.util.Locale;
import java.util.Random;

/**
 * Writes rows of the trace format ({@link TraceParser#HEADER}), in the order they are given, with
 * seeded multiplicative noise on viewer counts. Values are rounded to whole numbers and never
 * negative. Not thread-safe.
 */
final class TraceWriter {
  private final Random random;
  private final StringBuilder csv = new StringBuilder(TraceParser.HEADER).append('\n');

  TraceWriter(Random random) {
    this.random = random;
  }

  /** Viewers in a market, times (1 + noise x a standard normal draw). */
  void viewers(double t, String market, double value, double noise) {
    row(t, "viewers", market, Math.max(0, Math.round(value * (1 + noise * random.nextGaussian()))));
  }

  /**
   * Bot clients trying to join a market, with the same kind of noise; returns the value written.
   */
  double bots(double t, String market, double value, double noise) {
    long written =
        value > 0 ? Math.max(0, Math.round(value * (1 + noise * random.nextGaussian()))) : 0;
    row(t, "bots", market, written);
    return written;
  }

  void streams(double t, String region, double value) {
    row(t, "streams", region, value);
  }

  /** Extra edge latency in a region from {@code t} on; 0 clears it. */
  void latency(double t, String region, double extraMillis) {
    row(t, "latency", region, extraMillis);
  }

  /** How many instances of a GPU group's type EC2 can run from {@code t} on. */
  void shortage(double t, String group, double instances) {
    row(t, "shortage", group, instances);
  }

  /** A share (0-1), to the hundredth: the other rows' whole numbers would round it to 0 or 1. */
  void publishing(double t, String region, double share) {
    csv.append(String.format(Locale.ROOT, "%d,publishing,%s,%.2f\n", (long) t, region, share));
  }

  /** A {@code #} line: the parser skips it, a reader learns where the trace came from. */
  void comment(String text) {
    text.lines().forEach(line -> csv.append("# ").append(line).append('\n'));
  }

  String csv() {
    return csv.toString();
  }

  private void row(double t, String kind, String key, double value) {
    csv.append(
        String.format(
            Locale.ROOT, "%d,%s,%s,%d\n", (long) t, kind, key, (long) Math.max(0, value)));
  }
}
