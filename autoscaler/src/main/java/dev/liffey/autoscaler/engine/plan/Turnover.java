package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.forecast.Quantiles;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How fast each market's viewers leave, measured over the periods of the last cold boot: in each,
 * the verified viewers its edge admitted less what its audience grew by. The departures a plan
 * expects over a boot horizon are those of a horizon just past, as a mean and a spread, not one
 * period's joins multiplied up: a period is a few seconds of a noisy audience (a tick whose viewers
 * rose by chance would read as the whole market turning over), and the joins of a surge that has
 * just ended are its growth, not viewers leaving. The spread, at the forecast quantile, keeps the
 * room a burst of departures (and the joins that replace them) needs. A period whose viewers were
 * not all read adds nothing and starts the measure again. Keeps history; not thread-safe.
 */
final class Turnover {
  private static final double PERIOD_SECONDS = Metrics.PERIOD.toMillis() / 1000.0;

  private final EdgeConfig config;

  /** The forecast quantile's z: how far above the mean a period's departures are planned for. */
  private final double z;

  /** How far back the mean reaches: the slowest relay boot the market's regions plan over. */
  private final Map<String, Duration> window = new HashMap<>();

  /**
   * Per market, its fully read periods in the window: when (epoch seconds), the viewers admitted in
   * the period, and the viewers watching at its end.
   */
  private final Map<String, ArrayDeque<double[]>> periods = new HashMap<>();

  private Instant lastAt;

  Turnover(EdgeConfig config) {
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
      if (!allRead(obs, m)) {
        // A gap: what left across it cannot be told from what was not read.
        q.clear();
        continue;
      }
      q.addLast(new double[] {now, admitted(obs, m), watching(obs, m)});
      double from = now - window.get(m.code()).toMillis() / 1000.0;
      while (q.size() > 1 && q.peekFirst()[0] <= from) {
        q.removeFirst();
      }
    }
  }

  /**
   * How {@code market}'s viewers will spread as sessions turn over ({@link MarketSplit}), from its
   * departures over the window: their mean a second, and their spread from one period to the next
   * at the forecast quantile. Where its viewers could not all be read this period (a region's read
   * failed, its join counts with it) the turnover is unknown: as if every session had turned over,
   * every viewer lands by the shares. With one period read so far, its admitted viewers stand for
   * its departures (the turnover of a market that did not grow).
   */
  MarketSplit split(
      Observation obs, Market market, Map<String, Double> watching, Map<String, Double> shares) {
    if (!allRead(obs, market)) {
      return new MarketSplit(watching, shares, Double.POSITIVE_INFINITY);
    }
    note(obs);
    ArrayDeque<double[]> q = periods.get(market.code());
    if (q.size() < 2) {
      return new MarketSplit(watching, shares, admitted(obs, market) / PERIOD_SECONDS);
    }
    int n = 0;
    double sum = 0;
    double squares = 0;
    Iterator<double[]> it = q.iterator();
    double[] before = it.next();
    while (it.hasNext()) {
      double[] p = it.next();
      // A period's count covers PERIOD_SECONDS; the growth over a longer tick is scaled to it.
      double seconds = Math.max(PERIOD_SECONDS, p[0] - before[0]);
      double left = p[1] - (p[2] - before[2]) * PERIOD_SECONDS / seconds;
      sum += left;
      squares += left * left;
      n++;
      before = p;
    }
    double mean = sum / n;
    double sd = n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0;
    return new MarketSplit(watching, shares, Math.max(0, mean) / PERIOD_SECONDS, z * sd);
  }

  /** The market's verified viewers its relays admitted in the last period. */
  private static double admitted(Observation obs, Market m) {
    double admitted = 0;
    for (Market.ServedBy s : m.servedBy()) {
      MarketRegion key = new MarketRegion(m.code(), s.regionId());
      Sample full = obs.metrics().rejectedJoins().get(key);
      admitted +=
          Math.max(0, obs.metrics().verifiedJoinAttempts(key) - (full == null ? 0 : full.value()));
    }
    return admitted;
  }

  private static double watching(Observation obs, Market m) {
    double watching = 0;
    for (Market.ServedBy s : m.servedBy()) {
      watching += obs.metrics().viewers().get(new MarketRegion(m.code(), s.regionId())).value();
    }
    return watching;
  }

  /** Whether every region serving {@code m} published its viewers (and its joins with them). */
  static boolean allRead(Observation obs, Market m) {
    for (Market.ServedBy s : m.servedBy()) {
      if (!obs.metrics().viewers().containsKey(new MarketRegion(m.code(), s.regionId()))) {
        return false;
      }
    }
    return true;
  }
}
