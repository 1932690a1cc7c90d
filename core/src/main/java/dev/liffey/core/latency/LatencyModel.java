package dev.liffey.core.latency;

/**
 * Edge latency of a viewer, as a distribution over the viewers of a market-region: the
 * market-to-region base, plus any injected penalty, plus the time a packet waits in the relay's
 * queue, plus the network's jitter. The wait is an M/M/1 queue's: none with probability 1 - u, else
 * exponential with mean {@link #QUEUE_SCALE_MILLIS} / (1 - u), so its mean is 4 ms x u/(1-u) (36 ms
 * at 90%); the relay's send queue is bounded, so no packet waits more than {@link
 * #OVERLOAD_MILLIS}, and at {@link #OVERLOAD_UTILIZATION} and above the queue is full and every
 * packet waits that long. The jitter is exponential with the configured mean. All of it is
 * closed-form, so scores integrate it exactly, with no sampling. Immutable and thread-safe.
 */
public final class LatencyModel {
  /**
   * The relay's mean service time, the M/M/1 queue's 1/mu: the wait's mean is 4 ms x u/(1-u), 36 ms
   * at 90%, 196 ms at 98%.
   */
  public static final double QUEUE_SCALE_MILLIS = 4.0;

  /**
   * The most a packet waits, what an overloaded relay adds with its send queue full: ITU-T G.114
   * calls more than 400 ms unacceptable for interactive use, so a live relay drops what has waited
   * longer.
   */
  public static final double OVERLOAD_MILLIS = 400.0;

  /** Above this the queue no longer drains between bursts (the M/M/1 mean would pass 400 ms). */
  public static final double OVERLOAD_UTILIZATION = 0.99;

  /** The share of viewers a p95 leaves above it. */
  public static final double P95_SHARE = 0.05;

  /**
   * A p95 is searched for up to here; beyond, it reads this (a latency no viewer would wait for).
   */
  static final double MAX_LATENCY_MILLIS = 2_000;

  private final double jitterMillis;

  /**
   * @param jitterMillis the mean of the network's exponential jitter, 0 for none
   */
  public LatencyModel(double jitterMillis) {
    if (!(jitterMillis >= 0)) {
      throw new IllegalArgumentException("jitterMillis must be 0 or more, got " + jitterMillis);
    }
    this.jitterMillis = jitterMillis;
  }

  /**
   * The latency of a viewer whose route adds {@code offsetMillis} (base + penalty) on relays at
   * {@code utilization} (connected viewers over what the relays hold; infinite when they hold
   * none).
   */
  public Distribution at(double offsetMillis, double utilization) {
    if (utilization >= OVERLOAD_UTILIZATION) {
      return new Distribution(offsetMillis + OVERLOAD_MILLIS, 0, 0, jitterMillis);
    }
    double u = Math.max(0, utilization);
    return new Distribution(
        offsetMillis, u, u > 0 ? QUEUE_SCALE_MILLIS / (1 - u) : 0, jitterMillis);
  }

  /**
   * Latency = {@code fixedMillis} + W + J: W is 0 with probability 1 - {@code waitProbability},
   * else exponential with mean {@code waitMeanMillis} cut at {@link #OVERLOAD_MILLIS}; J is
   * exponential with mean {@code jitterMillis}.
   */
  public record Distribution(
      double fixedMillis, double waitProbability, double waitMeanMillis, double jitterMillis) {

    public double meanMillis() {
      double wait =
          waitMeanMillis > 0 ? waitMeanMillis * -Math.expm1(-OVERLOAD_MILLIS / waitMeanMillis) : 0;
      return fixedMillis + waitProbability * wait + jitterMillis;
    }

    /**
     * The latency 5% of these viewers exceed, to within 0.1 ms: what a relay's probes publish.
     * Worked out every tick for every market-region, so the search starts from bounds that hold it:
     * no one is faster than the fixed part, and no more than 5% are slower than it plus a full
     * queue plus the jitter's own p95.
     */
    public double p95Millis() {
      double hi = fixedMillis + OVERLOAD_MILLIS + jitterMillis * Math.log(1 / P95_SHARE) + 0.1;
      return exceeded(
          new Distribution[] {this},
          new double[] {1},
          P95_SHARE,
          fixedMillis,
          Math.min(hi, MAX_LATENCY_MILLIS),
          0.1);
    }

    /** P(latency > {@code millis}): the share of viewers slower than it. */
    public double tail(double millis) {
      double t = millis - fixedMillis;
      if (t < 0) {
        return 1;
      }
      return (1 - waitProbability) * exponentialTail(t, jitterMillis)
          + waitProbability * cutSumTail(t, waitMeanMillis, jitterMillis);
    }
  }

  /**
   * The latency {@code share} of a mix of viewers exceed ({@code weights[i]} of them at {@code
   * dists[i]}): the least t up to {@link #MAX_LATENCY_MILLIS} with at most that share slower, by
   * bisection to within {@code toleranceMillis}; {@link #MAX_LATENCY_MILLIS} when more are slower
   * even there.
   */
  public static double exceeded(
      Distribution[] dists, double[] weights, double share, double toleranceMillis) {
    return exceeded(dists, weights, share, 0, MAX_LATENCY_MILLIS, toleranceMillis);
  }

  /**
   * As {@link #exceeded(Distribution[], double[], double, double)}, searching [{@code lo}, {@code
   * hi}] only.
   */
  static double exceeded(
      Distribution[] dists,
      double[] weights,
      double share,
      double lo,
      double hi,
      double toleranceMillis) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double allowed = share * total;
    if (slower(hi, dists, weights) > allowed) {
      return hi;
    }
    while (hi - lo > toleranceMillis) {
      double mid = (lo + hi) / 2;
      if (slower(mid, dists, weights) > allowed) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** How many of the viewers are slower than {@code millis}. */
  private static double slower(double millis, Distribution[] dists, double[] weights) {
    double sum = 0;
    for (int i = 0; i < dists.length; i++) {
      sum += weights[i] * dists[i].tail(millis);
    }
    return sum;
  }

  /** P(X > t), t >= 0, X exponential with mean {@code mean} (a point at 0 when the mean is 0). */
  static double exponentialTail(double t, double mean) {
    return mean > 0 ? Math.exp(-t / mean) : 0;
  }

  /**
   * P(min(X, c) + Y > t), t >= 0, c = {@link #OVERLOAD_MILLIS}, X and Y independent exponentials
   * with means {@code q} and {@code j}. Below c the cut changes nothing; above, only the jitter
   * reaches t.
   */
  static double cutSumTail(double t, double q, double j) {
    double c = OVERLOAD_MILLIS;
    if (t < c || q <= 0) {
      return sumTail(t, q, j);
    }
    if (j <= 0) {
      return 0;
    }
    // The wait at m < c, then jitter above t - m; or the wait cut at c, then jitter above t - c.
    double k = 1 / j - 1 / q;
    double waited =
        Math.abs(k) * c < 1e-9
            ? c / q * Math.exp(-t / j)
            : (Math.exp(-(t - c) / j - c / q) - Math.exp(-t / j)) / (q * k);
    return waited + Math.exp(-c / q - (t - c) / j);
  }

  /**
   * P(X + Y > t), t >= 0, X and Y independent exponentials with means a and b (hypoexponential).
   */
  static double sumTail(double t, double a, double b) {
    if (a <= 0 || b <= 0) {
      return exponentialTail(t, Math.max(a, b));
    }
    if (Math.abs(a - b) <= 1e-6 * Math.max(a, b)) {
      return (1 + t / a) * Math.exp(-t / a);
    }
    return (a * Math.exp(-t / a) - b * Math.exp(-t / b)) / (a - b);
  }
}
