package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.MarketRegion;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One metrics period's join counts per market-region, as the edge publishes them: distinct clients
 * in the period ({@code JoinAttempts}, {@code RejectedJoins}), however many steps the simulation
 * took through it. A viewer refused in one step tries again in the next; within a period that is
 * the same client, so a step's attempts add only those who had not been refused earlier in the
 * period, and its refusals only the newcomers among them, in proportion. Bots are the same clients
 * trying every step: the most a step saw. With one step a period the counts are that step's. Not
 * thread-safe.
 */
final class PeriodJoins {
  /** Per market-region: attempts, refused, and bots, distinct in the period so far. */
  private final Map<MarketRegion, double[]> counts = new HashMap<>();

  /**
   * Per market-region, those refused in the period's last step: they try again in the next. Empty
   * as a period begins: nobody is retrying from within it.
   */
  private final Map<MarketRegion, Double> retrying = new HashMap<>();

  /** Starts a new period. */
  void reset() {
    counts.clear();
    retrying.clear();
  }

  /**
   * Adds one step's counts for every market-region: {@code attempts} the step saw (bots apart),
   * {@code refused} for want of a slot, {@code bots}.
   */
  void add(
      Iterable<MarketRegion> keys,
      ToDoubleFunction<MarketRegion> attempts,
      ToDoubleFunction<MarketRegion> refused,
      ToDoubleFunction<MarketRegion> bots) {
    for (MarketRegion key : keys) {
      double tried = attempts.applyAsDouble(key);
      double full = refused.applyAsDouble(key);
      double[] c = counts.computeIfAbsent(key, k -> new double[3]);
      double again = retrying.getOrDefault(key, 0.0); // none in a period's first step
      double fresh = Math.max(0, tried - again);
      c[0] += fresh;
      // Nobody retrying: every refusal is a newcomer's (and the sum is the step's, to the bit).
      c[1] += again <= 0 ? full : tried > 0 ? full * fresh / tried : 0;
      c[2] = Math.max(c[2], bots.applyAsDouble(key));
      retrying.put(key, full); // each key once a step: read above before it is replaced
    }
  }

  /** Distinct verified clients who tried to join {@code key} in the period. */
  double attempts(MarketRegion key) {
    return get(key, 0);
  }

  /** Distinct clients refused a slot at {@code key} in the period. */
  double refused(MarketRegion key) {
    return get(key, 1);
  }

  /** Distinct bots that tried {@code key} in the period. */
  double bots(MarketRegion key) {
    return get(key, 2);
  }

  private double get(MarketRegion key, int i) {
    double[] c = counts.get(key);
    return c == null ? 0 : c[i];
  }
}
