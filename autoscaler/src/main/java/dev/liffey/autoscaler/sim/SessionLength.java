package dev.liffey.autoscaler.sim;

import java.util.Locale;

/**
 * How long a market's viewers watch: a mean, and how widely lengths spread about it, as their
 * coefficient of variation (standard deviation over mean; 1 is exponential). Measured live
 * audiences' session lengths are heavy-tailed (Sripanidkulchai, Maggs and Zhang, "An Analysis of
 * Live Streaming Workloads on the Internet", IMC 2004; Veloso et al., "A Hierarchical
 * Characterization of a Live Streaming Media Workload", 2002, log-normal): most viewers zap past in
 * minutes and a few stay for hours, so lengths spread wider than an exponential's. Lengths are
 * drawn from two exponential phases with balanced means (a share of sessions short, the rest long,
 * each phase holding half the time watched): the simplest distribution with a given mean and any
 * spread of at least 1, and memoryless within a phase, so an audience keeps as two masses that each
 * leave at a constant rate. At 1 both phases are the same exponential. Against a log-normal of the
 * same mean and spread, the share of a steady audience still watching t later is within 0.04 for
 * half an hour, and higher after (at 3, 0.33 against 0.25 an hour on): a little stickier than a
 * log-normal, never kinder.
 *
 * @param meanSeconds the mean session, positive
 * @param cv the coefficient of variation, {@value #MIN_CV} to {@value #MAX_CV}
 */
public record SessionLength(double meanSeconds, double cv) {
  /** Exponential: as many sessions end each second, whatever their age. */
  public static final double MIN_CV = 1;

  /** The widest spread taken: a log-normal's of sigma 2.15. */
  public static final double MAX_CV = 10;

  /** The phases a market's viewers are kept in: short and long. */
  static final int PHASES = 2;

  public SessionLength {
    if (!(meanSeconds > 0) || Double.isInfinite(meanSeconds)) {
      throw new IllegalArgumentException("a mean session must be positive, got " + meanSeconds);
    }
    requireCv(cv);
  }

  /** Whether this model takes {@code cv} as a spread: {@value #MIN_CV} to {@value #MAX_CV}. */
  public static boolean takes(double cv) {
    return cv >= MIN_CV && cv <= MAX_CV;
  }

  /**
   * {@code cv}, if a session spread this model takes ({@link #takes}).
   *
   * @throws IllegalArgumentException otherwise
   */
  static double requireCv(double cv) {
    if (!takes(cv)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "a session spread (coefficient of variation) must be %.0f (exponential) to %.0f, got"
                  + " %s",
              MIN_CV,
              MAX_CV,
              cv));
    }
    return cv;
  }

  /** The share of sessions started that are in {@code phase} (0 short, 1 long). */
  double startShare(int phase) {
    double c2 = cv * cv;
    double shortShare = (1 + Math.sqrt((c2 - 1) / (c2 + 1))) / 2;
    return phase == 0 ? shortShare : 1 - shortShare;
  }

  /** The mean length of a session in {@code phase}. */
  double phaseMeanSeconds(int phase) {
    return meanSeconds / (2 * startShare(phase));
  }

  /**
   * The share of an audience that has watched this way for long (joins replacing leavers) whose
   * viewers are in {@code phase}: half, as each phase holds half the time watched.
   */
  static double steadyShare(int phase) {
    return 1.0 / PHASES;
  }

  /**
   * Of viewers watching in an audience that has watched this way for long, the share still watching
   * {@code seconds} later (none joining).
   */
  public double stillWatching(double seconds) {
    double sum = 0;
    for (int p = 0; p < PHASES; p++) {
      sum += steadyShare(p) * Math.exp(-seconds / phaseMeanSeconds(p));
    }
    return sum;
  }
}
