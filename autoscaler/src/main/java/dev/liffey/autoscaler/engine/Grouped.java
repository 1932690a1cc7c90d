package dev.liffey.autoscaler.engine;

import java.util.Locale;

/**
 * Whole numbers with thousands separators, exactly as {@code String.format(Locale.ROOT, "%,.0f",
 * v)} writes them, without a {@link java.util.Formatter}: the engine words a reason for every fleet
 * every tick, and each {@code String.format} of a grouped number looked its locale's symbols up
 * afresh (a tenth of Liffey's time on the simulated week).
 */
public final class Grouped {
  /** Beyond this a double no longer holds every whole number: the formatter decides. */
  private static final double EXACT = 1e15;

  private Grouped() {}

  /** {@code 12,346} for 12345.5 (half up, away from zero, as the formatter rounds). */
  public static String of(double v) {
    double a = Math.abs(v);
    if (!(a < EXACT)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    // Not floor(a + 0.5): the sum rounds, and 0.49999999999999994 would come out as 1.
    double away = Math.floor(a) + (a - Math.floor(a) >= 0.5 ? 1 : 0);
    if (away == 0) {
      // The formatter keeps the sign of a negative that rounds to zero.
      return v < 0 || (v == 0 && 1 / v < 0) ? "-0" : "0";
    }
    return v < 0 ? "-" + of((long) away) : of((long) away);
  }

  /** {@code 12,345}. */
  public static String of(long n) {
    if (n < 0) {
      return n == Long.MIN_VALUE ? String.format(Locale.ROOT, "%,d", n) : "-" + of(-n);
    }
    String digits = Long.toString(n);
    int first = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
    StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3);
    out.append(digits, 0, first);
    for (int i = first; i < digits.length(); i += 3) {
      out.append(',').append(digits, i, i + 3);
    }
    return out.toString();
  }
}
