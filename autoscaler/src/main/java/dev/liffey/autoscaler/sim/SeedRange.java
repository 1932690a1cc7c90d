package dev.liffey.autoscaler.sim;

import java.util.Locale;

/**
 * The seeds of each family a suite runs, {@code first} to {@code last}. Seeds 1 to N are the usual
 * run; a range that starts further on judges the engine on traces nobody has looked at yet (a
 * hold-out), since every seed draws a trace of its own.
 */
public record SeedRange(long first, long last) {
  /** The highest seed a range names. */
  public static final long MAX = 1_000_000;

  public SeedRange {
    if (first < 1 || last < first || last > MAX) {
      throw new IllegalArgumentException(
          "seeds run from 1 to " + MAX + ", first to last, got " + first + "-" + last);
    }
  }

  /** Seeds 1 to {@code n}. */
  public static SeedRange firstN(long n) {
    return new SeedRange(1, n);
  }

  public long count() {
    return last - first + 1;
  }

  /** "5 seeds", "seed 7" or "seeds 31-60": seeds from 1 are counted, others named. */
  public String words() {
    if (first == 1) {
      return String.format(Locale.ROOT, "%d seed%s", count(), count() == 1 ? "" : "s");
    }
    return count() == 1 ? "seed " + first : "seeds " + first + "-" + last;
  }

  /** "5 seeds each" or "seeds 31-60 of each", after the families they are of. */
  public String ofEach() {
    return words() + (first == 1 ? " each" : " of each");
  }
}
