package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.forecast.Quantiles;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Each market's verified joins over the periods of the last window, as a mean and a spread: the
 * joins a plan expects over a boot horizon are those of a horizon just past, not one period's
 * multiplied up. A single period is a few seconds of a noisy audience (a tick whose viewers rose by
 * chance looks like the whole market turning over within the horizon, the next like none of it);
 * the mean over as long as the plan looks ahead is the same quantity without that noise, and the
 * periods' spread, at the forecast quantile, keeps the room a burst of joins needs. A period whose
 * viewers were not all read adds nothing. Keeps history; not thread-safe.
 */
final class JoinRates {
  private static final double PERIOD_SECONDS = Metrics.PERIOD.toMillis() / 1000.0;

  private final EdgeConfig config;

  /** The forecast quantile's z: how far above the mean a period's joins are planned for. */
  private final double z;

  /** How far back the mean reaches: the slowest relay boot the market's regions plan over. */
  private final Map<String, Duration> window = new HashMap<>();

  /** Per market, the periods in the window: when (epoch seconds) and how many verified joins. */
  private final Map<String, ArrayDeque<double[]>> periods = new HashMap<>();

  private Instant lastAt;

  JoinRates(EdgeConfig config) {
    this.config = config;
    this.z = Quantiles.normal(config.scaling().forecastQuantile());
    for (Market m : config.markets()) {
      Duration longest = Duration.ZERO;
      for (Market.ServedBy s : m.servedBy()) {
        Duration boot = config.region(s.regionId()).relay().sizing().coldBoot();
        longest = boot.compareTo(longest) > 0 ? boot : longest;
      }
      window.put(m.code(), longest.plus(config.scaling().tick()));
    }
  }

  /** Records the observation's period once, however many times it is asked about. */
  void note(Observation obs) {
    Instant at = obs.metrics().at();
    if (at.equals(lastAt)) {
      return;
    }
    lastAt = at;
    double now = at.toEpochMilli() / 1000.0;
    for (Market m : config.markets()) {
      ArrayDeque<double[]> q = periods.computeIfAbsent(m.code(), k -> new ArrayDeque<>());
      if (allRead(obs, m)) {
        q.addLast(new double[] {now, joins(obs, m)});
      }
      double from = now - window.get(m.code()).toMillis() / 1000.0;
      while (!q.isEmpty() && q.peekFirst()[0] <= from) {
        q.removeFirst();
      }
    }
  }

  /**
   * How {@code market}'s viewers will spread as sessions turn over ({@link MarketSplit}), from its
   * joins over the window: their mean a second, and their spread from one period to the next at the
   * forecast quantile. Where its viewers could not all be read this period (a region's read failed,
   * its join counts with it) the joins are unknown: as if every session had turned over, every
   * viewer lands by the shares.
   */
  MarketSplit split(
      Observation obs, Market market, Map<String, Double> watching, Map<String, Double> shares) {
    if (!allRead(obs, market)) {
      return new MarketSplit(watching, shares, Double.POSITIVE_INFINITY);
    }
    note(obs);
    ArrayDeque<double[]> q = periods.get(market.code());
    double n = q.size();
    if (n == 0) {
      // This period's read was recorded as incomplete: it alone is the evidence.
      return new MarketSplit(watching, shares, joins(obs, market) / PERIOD_SECONDS);
    }
    double sum = 0;
    double squares = 0;
    for (double[] p : q) {
      sum += p[1];
      squares += p[1] * p[1];
    }
    double mean = sum / n;
    double sd = n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0;
    return new MarketSplit(watching, shares, mean / PERIOD_SECONDS, z * sd);
  }

  private static double joins(Observation obs, Market m) {
    double joins = 0;
    for (Market.ServedBy s : m.servedBy()) {
      joins += obs.metrics().verifiedJoinAttempts(new MarketRegion(m.code(), s.regionId()));
    }
    return joins;
  }

  private static boolean allRead(Observation obs, Market m) {
    for (Market.ServedBy s : m.servedBy()) {
      if (!obs.metrics().viewers().containsKey(new MarketRegion(m.code(), s.regionId()))) {
        return false;
      }
    }
    return true;
  }
}
