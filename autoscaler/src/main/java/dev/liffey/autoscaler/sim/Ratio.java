package dev.liffey.autoscaler.sim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.Locale;

/**
 * Liffey's figure over a baseline's, honest about zeros: 0/0 is "both 0" (as good as the baseline,
 * and both perfect), x/0 is "worse than a perfect baseline" (no finite ratio says how much).
 * Ordered from best to worst: both 0 and finite ratios by value, then x/0 by Liffey's figure.
 * Immutable.
 */
public record Ratio(double liffey, double baseline) implements Comparable<Ratio> {
  public enum Kind {
    /** Both figures are 0. */
    BOTH_ZERO,
    /** The baseline's figure is positive: an ordinary ratio. */
    FINITE,
    /** Liffey's figure is positive and the baseline's 0: worse than a perfect baseline. */
    BASELINE_ZERO
  }

  /**
   * Relative differences below this are the same figure summed in another order (floating point),
   * not a difference between policies.
   */
  static final double SAME = 1e-9;

  private static final Comparator<Ratio> ORDER =
      Comparator.comparingDouble(Ratio::value).thenComparingDouble(Ratio::liffey);

  public Ratio {
    if (!(liffey >= 0)
        || !(baseline >= 0)
        || Double.isInfinite(liffey)
        || Double.isInfinite(baseline)) {
      throw new IllegalArgumentException(
          "a ratio of figures that are finite and not negative, got " + liffey + " / " + baseline);
    }
  }

  public Kind kind() {
    if (baseline > 0) {
      return Kind.FINITE;
    }
    return liffey == 0 ? Kind.BOTH_ZERO : Kind.BASELINE_ZERO;
  }

  /** The ratio for ordering: 0 when both are 0, infinite when only the baseline is. */
  public double value() {
    return switch (kind()) {
      case BOTH_ZERO -> 0;
      case FINITE -> liffey / baseline;
      case BASELINE_ZERO -> Double.POSITIVE_INFINITY;
    };
  }

  /**
   * Whether Liffey's figure is at most {@code limit} times the baseline's (both 0 is; x against 0
   * never is).
   */
  public boolean atMost(double limit) {
    return atMost(limit, 0);
  }

  /**
   * Whether Liffey's figure is at most {@code limit} times the baseline's plus {@code slack}, in
   * the figures' own unit: a difference smaller than the least the figure can mean (a viewer-second
   * of a flow the simulator splits finely) is no difference.
   */
  public boolean atMost(double limit, double slack) {
    return switch (kind()) {
      case BOTH_ZERO -> true;
      case FINITE -> liffey <= limit * baseline * (1 + SAME) + slack;
      case BASELINE_ZERO -> liffey <= slack;
    };
  }

  /** "4.2%" or "1.14x" for a finite ratio; "both 0"; "1,234 vs 0" when only the baseline is 0. */
  public String render(boolean percent) {
    return switch (kind()) {
      case BOTH_ZERO -> "both 0";
      case FINITE -> percent ? percent(value()) : String.format(Locale.ROOT, "%.2fx", value());
      case BASELINE_ZERO -> String.format(Locale.ROOT, "%,.0f vs 0", liffey);
    };
  }

  private static String percent(double v) {
    double p = 100 * v;
    if (p == 0) {
      return "0%";
    }
    if (p < 0.1) { // two significant digits: a share of 0.0004% is not 0
      return new BigDecimal(p).round(new MathContext(2)).toPlainString() + "%";
    }
    if (Math.abs(p - 100) > 100 * SAME && Math.round(p) == 100) { // 100% is "the same": 100.2% not
      BigDecimal shown = new BigDecimal(p).round(new MathContext(4));
      for (int digits = 5; shown.compareTo(BigDecimal.valueOf(100)) == 0; digits++) {
        shown = new BigDecimal(p).round(new MathContext(digits));
      }
      return shown.stripTrailingZeros().toPlainString() + "%";
    }
    return p < 10
        ? String.format(Locale.ROOT, "%.1f%%", p)
        : String.format(Locale.ROOT, "%.0f%%", p);
  }

  @Override
  public int compareTo(Ratio other) {
    return ORDER.compare(this, other);
  }
}
