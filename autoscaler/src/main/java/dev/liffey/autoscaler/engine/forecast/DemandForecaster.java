package dev.liffey.autoscaler.engine.forecast;

import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Scaling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Forecasts demand (viewers of a market, streams of a region) over a fleet's boot horizon, and
 * plans on an upper quantile, not a mean:
 *
 * <ul>
 *   <li>trend: the latest level plus the recent linear slope, when rising;
 *   <li>spike: when the recent growth rate passes {@link #SPIKE_GROWTH_PER_SECOND}, exponential
 *       extrapolation at that rate, over no longer than the surge has been seen going on (a surge
 *       seen for 20 s is planned to grow for 20 s more; re-made every tick, so a surge that goes on
 *       earns a longer reach, and a one-step jump is not mistaken for the start of a 10x spike); a
 *       surge whose rate has fallen from one growth window to the next, its newest samples
 *       included, is planned to keep slowing as it did (an audience nearing its size); never more
 *       than {@code scaling.maxSurgeFactor} times the level now over one horizon;
 *   <li>return: a rise (trend or spike) that follows a fall below {@link #RETURN_BAND} of a level
 *       held within the hour is planned up to that level, not past it, until it passes it; that
 *       level is the highest sample seen, noise included, so the noise does not widen it again; a
 *       spike past it by less than the series' own noise (an oscillation's peak a little above the
 *       last) is planned as that noise, not extrapolated;
 *   <li>shape: with a day (or a week) of history, what happened then, scaled to now;
 *   <li>known events: never below an event's expected audience from its pre-warm lead to its start,
 *       then yielding to what is observed over as long again;
 *   <li>the upper quantile widens the forecast by the series' own recent one-step error; the level
 *       it starts from is smoothed over the last {@value #LEVEL_SAMPLES} samples.
 * </ul>
 *
 * A forecast depends only on the series, the events and the time asked for, so one is made once per
 * (series, horizon) and time, and reused until a sample or an event set arrives: every fleet of a
 * region asks for the same markets over the same boot horizon. Not thread-safe: one forecaster per
 * control loop.
 */
public final class DemandForecaster {
  /**
   * +0.4%/s (+27%/min): faster than any diurnal ramp or match build-up, slower than a viral spike.
   */
  public static final double SPIKE_GROWTH_PER_SECOND = 0.004;

  static final double TREND_WINDOW_SECONDS = 60;
  static final double GROWTH_WINDOW_SECONDS = 40;

  /**
   * The trend also looks this far back: when the recent slope is flatter, it wins (a ramp that
   * stopped).
   */
  static final double RECENT_TREND_SECONDS = 30;

  /**
   * Exponential extrapolation looks at most this far; the next ticks extend it if growth goes on.
   */
  static final double SPIKE_EXTRAPOLATION_SECONDS = 120;

  /** A trend is extrapolated no further than the data it was fitted on (a damped trend). */
  static final double TREND_EXTRAPOLATION_SECONDS = 120;

  /**
   * How far back a level counts as one a rise returns to: an outage, a break or a drop and its
   * return fit in it; a day's shape is the daily history's.
   */
  static final double RETURN_WINDOW_SECONDS = 3600;

  /**
   * A rise is a return only if the series fell below this share of the earlier level first: the
   * planner's scale-in band ({@code Proposal.SCALE_IN_BAND}), the least fall it treats as demand
   * going away rather than noise; a noisy ramp's dips stay above it and its trend is not capped.
   */
  static final double RETURN_BAND = 0.93;

  static final int LEVEL_SAMPLES = 3;
  static final double DAY = 86_400;
  static final double WEEK = 7 * DAY;

  private final double z;

  /**
   * The most a spike is planned to grow over one horizon, as a multiple of its level now ({@code
   * scaling.maxSurgeFactor}).
   */
  private final double maxSurge;

  private final Map<SeriesKey, SeriesHistory> series = new HashMap<>();
  private final Map<SeriesKey, List<KnownEvent>> configured;

  /** The configured events and those added at run time, per series key. */
  private Map<SeriesKey, List<KnownEvent>> events;

  /** Forecasts made at {@link #madeAt} since the last sample or event set. */
  private final Map<Made, Forecast> made = new HashMap<>();

  private Instant madeAt;

  /**
   * @param quantile the upper quantile planned on, like 0.95
   * @param events known events per series key
   */
  public DemandForecaster(double quantile, Map<SeriesKey, List<KnownEvent>> events) {
    this(quantile, Scaling.DEFAULT_MAX_SURGE_FACTOR, events);
  }

  /**
   * @param quantile the upper quantile planned on, like 0.95
   * @param maxSurge the most a spike is planned to grow over one horizon, as a multiple of its
   *     level now, like 10
   * @param events known events per series key
   */
  public DemandForecaster(
      double quantile, double maxSurge, Map<SeriesKey, List<KnownEvent>> events) {
    this.z = Quantiles.normal(quantile);
    this.maxSurge = maxSurge;
    this.configured = Map.copyOf(events);
    this.events = this.configured;
  }

  /**
   * Known events added at run time (on-call's {@code liffey events add}), per series key; replaces
   * the last set.
   */
  public void setAddedEvents(Map<SeriesKey, List<KnownEvent>> added) {
    Map<SeriesKey, List<KnownEvent>> all = new HashMap<>(configured);
    added.forEach(
        (key, more) ->
            all.merge(
                key,
                more,
                (a, b) -> {
                  List<KnownEvent> both = new ArrayList<>(a);
                  both.addAll(b);
                  return both;
                }));
    this.events = Map.copyOf(all);
    made.clear();
  }

  public void observe(SeriesKey key, Instant at, double value) {
    made.clear();
    SeriesHistory h = series.computeIfAbsent(key, k -> new SeriesHistory());
    double t = seconds(at);
    if (h.size() > 0) {
      if (t <= h.t(0)) {
        return; // a repeated sample (the source has not moved on) says nothing new
      }
      double predicted = h.v(0) + Math.max(0, slope(h)) * (t - h.t(0));
      double error = Math.abs(value - predicted) / Math.max(50, h.v(0));
      h.relativeError = 0.95 * h.relativeError + 0.05 * Math.min(error, 1.0);
    }
    h.add(t, value);
  }

  /**
   * How fast the series has been rising in whole steps over the last {@code window}: the sum of its
   * rises (falls ignored) per second, e.g. streams going live per second; 0 without two samples.
   */
  public double arrivalsPerSecond(SeriesKey key, Duration window) {
    SeriesHistory h = series.get(key);
    if (h == null || h.size() < 2) {
      return 0;
    }
    double rises = 0;
    int oldest = 0;
    for (int i = 0; i + 1 < h.size() && h.t(0) - h.t(i + 1) <= window.toSeconds(); i++) {
      rises += Math.max(0, h.v(i) - h.v(i + 1));
      oldest = i + 1;
    }
    double span = h.t(0) - h.t(oldest);
    return span > 0 ? rises / span : 0;
  }

  /**
   * How {@code key} fell away from a level it held, if it did: the highest level it stayed at for
   * {@code heldFor} (its per-minute peaks, each at least that level) within the hour, when the
   * latest sample is below {@link #RETURN_BAND} of it. A peak that lasted less than {@code heldFor}
   * (a false alarm, a sawtooth's tooth) is not a level an audience held, and stays out; so does the
   * end of a known event of the series within the hour: its audience left because it was over.
   */
  public Optional<Fall> fall(SeriesKey key, Duration heldFor) {
    SeriesHistory h = series.get(key);
    if (h == null || h.size() == 0) {
      return Optional.empty();
    }
    int minutes = (int) Math.max(1, Math.ceil(heldFor.toMillis() / 60_000.0));
    long last = (long) Math.floor(h.t(0) / 60);
    long first = last - (long) (RETURN_WINDOW_SECONDS / 60);
    double held = 0;
    double fastest = 0;
    for (long m = first; m <= last; m++) {
      double lowest = Double.POSITIVE_INFINITY;
      for (int k = 0; k < minutes && lowest > held; k++) {
        double v = h.at((m - k) * 60.0);
        lowest = Double.isNaN(v) ? 0 : Math.min(lowest, v);
      }
      held = Math.max(held, lowest);
      // This minute's peak against the last one's; the current minute by its latest sample.
      double before = h.at((m - 1) * 60.0);
      double after = m == last ? h.v(0) : h.at(m * 60.0);
      if (m > first && !Double.isNaN(before) && !Double.isNaN(after)) {
        fastest = Math.max(fastest, (before - after) / 60.0);
      }
    }
    double level = h.v(0);
    if (!(level < held * RETURN_BAND) || endedWithinTheHour(key, h.t(0))) {
      return Optional.empty();
    }
    return Optional.of(new Fall(held, level, fastest));
  }

  private boolean endedWithinTheHour(SeriesKey key, double now) {
    for (KnownEvent e : events.getOrDefault(key, List.of())) {
      double end = seconds(e.end());
      if (end <= now && end > now - RETURN_WINDOW_SECONDS) {
        return true;
      }
    }
    return false;
  }

  /** The demand of {@code key} over [now, now + horizon]. */
  public Forecast forecast(SeriesKey key, Instant now, Duration horizon) {
    if (!now.equals(madeAt)) {
      made.clear();
      madeAt = now;
    }
    Made k = new Made(key, horizon);
    Forecast f = made.get(k);
    if (f == null) {
      f = make(key, now, horizon);
      made.put(k, f);
    }
    return f;
  }

  private Forecast make(SeriesKey key, Instant now, Duration horizon) {
    SeriesHistory h = series.get(key);
    double hs = horizon.toMillis() / 1000.0;
    Forecast base;
    if (h == null || h.size() == 0) {
      base = new Forecast(0, 0, 0, horizon, "no data yet", false);
    } else {
      base = trendOrSpike(h, seconds(now), hs, horizon);
    }
    return withEvents(key, now, horizon, base);
  }

  private Forecast trendOrSpike(SeriesHistory h, double now, double hs, Duration horizon) {
    double level = h.v(0);
    // A spike is growth over the window that is still going on now: a plateau ends it at once.
    double overWindow = growth(h);
    double recent = recentGrowth(h);
    double growth = Math.min(overWindow, recent);
    double expected;
    String basis;
    double age = surgeAge(h);
    boolean spike = growth > SPIKE_GROWTH_PER_SECOND;
    if (spike) {
      double reach = Math.min(Math.min(hs, SPIKE_EXTRAPOLATION_SECONDS), age);
      double factor =
          Math.min(
              maxSurge,
              Math.exp(spikeLogGrowth(h, growth, Math.max(overWindow, recent), reach, age)));
      expected = level * factor;
      basis = String.format(Locale.ROOT, "spike +%.1f%%/s", growth * 100);
    } else {
      double slope = slope(h);
      expected =
          smoothedLevel(h, slope) + Math.max(0, slope) * Math.min(hs, TREND_EXTRAPOLATION_SECONDS);
      basis = "trend";
    }
    // A rise from a fall, still below a level the series held before it within the hour, is an
    // audience coming back (after an outage, a break, a sawtooth's drop): it is planned to that
    // level, not extrapolated past it; once it passes it, the growth is new and extrapolates again,
    // except that a spike still within the upper quantile of the series' one-step noise of that
    // level is planned as the noise every steady level gets: a swing's peak a little above the
    // last one would otherwise launch relays for its whole climb carried past the peak.
    // Only a rise can be capped, so a flat or falling series skips the hour's look-back.
    boolean returning = false;
    if (expected > level) {
      double riseStart = now - Math.max(age, TREND_WINDOW_SECONDS);
      double before = peakBefore(h, riseStart, RETURN_WINDOW_SECONDS);
      double noise = z * h.relativeError;
      boolean back = spike && level < before;
      // The hour is looked back through once, and only for a rise that may be a return.
      if ((back || expected >= before) && lowestSince(h, riseStart) < before * RETURN_BAND) {
        // A spike back toward that level is not bounded by its own age: the level it returns to
        // was held. Its recent rise, in viewers a second, is carried over the whole horizon, up to
        // that level (linearly: a ramp's relative growth falls as it climbs, and compounding it
        // would buy a slow climb's peak at its foot).
        if (back) {
          double perSecond = (h.v(0) - h.v(2)) / (h.t(0) - h.t(2));
          double climb = level + Math.max(0, perSecond) * Math.min(hs, SPIKE_EXTRAPOLATION_SECONDS);
          if (climb > expected) {
            expected = Math.min(before, climb);
            if (expected < before) {
              basis +=
                  String.format(
                      Locale.ROOT,
                      ", climbing %,.0f/s back toward %,.0f held within the hour",
                      perSecond,
                      before);
            }
          }
        }
        if (expected >= before) {
          if (level < before) {
            expected = before;
            returning = true;
            basis += String.format(Locale.ROOT, ", back toward %,.0f held within the hour", before);
          } else if (spike && level < before * (1 + noise)) {
            expected = Math.min(expected, level * (1 + noise));
            returning = true;
            basis +=
                String.format(
                    Locale.ROOT, ", within the noise of %,.0f held within the hour", before);
          }
        }
      }
    }
    double shape = shape(h, now, hs, level, WEEK);
    String shapeBasis = "weekly shape";
    if (Double.isNaN(shape)) {
      shape = shape(h, now, hs, level, DAY);
      shapeBasis = "daily shape";
    }
    if (!Double.isNaN(shape) && shape > expected) {
      expected = shape;
      basis = shapeBasis;
      returning = false;
    }
    // Noise around a level does not compound with the horizon; the trend term carries the growth.
    // A return is planned to the highest sample it returns to, noise included: not widened again.
    double upper = returning ? expected : expected * (1 + z * h.relativeError);
    return new Forecast(level, expected, Math.max(level, upper), horizon, basis, spike);
  }

  /**
   * What the series did {@code period} ago over the same horizon, scaled to today's level (at most
   * twice); none when today is under half of what it was then.
   */
  private static double shape(SeriesHistory h, double now, double hs, double level, double period) {
    if (h.spanSeconds() < period + hs) {
      return Double.NaN;
    }
    double then = h.at(now - period);
    if (!(then > 0)) {
      return Double.NaN;
    }
    // Every minute the horizon touches then, its last one too: a step of 60 s from the start
    // stopped up to a minute short of a horizon that is not a whole number of minutes, and a spike
    // that came in that minute yesterday was met today, not pre-warmed.
    double peak = then;
    long last = (long) Math.floor((now - period + hs) / 60);
    for (long minute = (long) Math.floor((now - period) / 60); minute <= last; minute++) {
      double v = h.at(minute * 60.0);
      if (!Double.isNaN(v)) {
        peak = Math.max(peak, v);
      }
    }
    // Today under half of what it was then: that day's shape is not today's (a one-off spike
    // yesterday is not replayed at half its size for as long as it lasted), as a known event yields
    // to what is observed once it has started.
    double ratio = level / then;
    return ratio < 0.5 ? Double.NaN : peak * Math.min(2.0, ratio);
  }

  /**
   * A known event is a prior: from its pre-warm lead to its start the forecast is at least its
   * audience; once it has started, what is observed takes over, over as long again as the pre-warm
   * lead (the time the organizers gave the audience to arrive), so an event that overstated its
   * audience costs its pre-warm, not its whole length.
   */
  private Forecast withEvents(SeriesKey key, Instant now, Duration horizon, Forecast base) {
    Forecast out = base;
    for (KnownEvent e : events.getOrDefault(key, List.of())) {
      boolean warming =
          !now.plus(horizon).isBefore(e.start().minus(e.prewarmLead())) && now.isBefore(e.end());
      if (!warming) {
        continue;
      }
      double floor = e.expectedViewers();
      String basis = "event '" + e.name() + "'";
      if (now.isAfter(e.start())) {
        double seen = peakSince(series.get(key), seconds(e.start()), seconds(now));
        double lead = Math.max(1, e.prewarmLead().toSeconds());
        double prior = Math.max(0, 1 - Duration.between(e.start(), now).toSeconds() / lead);
        if (seen < floor) {
          floor = seen + (floor - seen) * prior;
          basis =
              String.format(
                  Locale.ROOT,
                  "event '%s' (%,.0f seen of %,d expected)",
                  e.name(),
                  seen,
                  e.expectedViewers());
        }
      }
      if (floor > out.upper()) {
        out =
            new Forecast(
                out.level(), Math.max(out.expected(), floor), floor, horizon, basis, out.surging());
      }
    }
    return out;
  }

  /**
   * The most the series was between two times (per-minute history and recent samples); 0 if
   * nothing.
   */
  private static double peakSince(SeriesHistory h, double from, double to) {
    if (h == null) {
      return 0;
    }
    double peak = 0;
    for (double t = from; t <= to; t += 60) {
      double v = h.at(t);
      if (!Double.isNaN(v)) {
        peak = Math.max(peak, v);
      }
    }
    for (int i = 0; i < h.size(); i++) {
      if (h.t(i) >= from && h.t(i) <= to) {
        peak = Math.max(peak, h.v(i));
      }
    }
    return peak;
  }

  /**
   * The most the series was in the {@code window} before {@code until} (recent samples, and each
   * minute's most further back); 0 when nothing is held.
   */
  static double peakBefore(SeriesHistory h, double until, double window) {
    double peak = 0;
    for (int i = 0; i < h.size(); i++) {
      if (h.t(i) < until && h.t(i) >= until - window) {
        peak = Math.max(peak, h.v(i));
      }
    }
    for (double t = until - window; t < until - 60; t += 60) {
      double v = h.at(t);
      if (!Double.isNaN(v)) {
        peak = Math.max(peak, v);
      }
    }
    return peak;
  }

  /** The least of the recent samples since {@code from}. */
  static double lowestSince(SeriesHistory h, double from) {
    double low = Double.POSITIVE_INFINITY;
    for (int i = 0; i < h.size() && h.t(i) >= from; i++) {
      low = Math.min(low, h.v(i));
    }
    return low;
  }

  /**
   * The level now, from the last few samples each moved along the trend to now: one noisy sample
   * should not decide a fleet's size.
   */
  private static double smoothedLevel(SeriesHistory h, double slope) {
    int n = Math.min(LEVEL_SAMPLES, h.size());
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += h.v(i) + slope * (h.t(0) - h.t(i));
    }
    return sum / n;
  }

  /**
   * How long the surge has gone on: seconds back from the latest sample over consecutive intervals
   * that each grew faster than {@link #SPIKE_GROWTH_PER_SECOND}, or, for one slow interval,
   * together with the next (a count that lagged a poll does not restart the surge's evidence).
   */
  static double surgeAge(SeriesHistory h) {
    int i = 0;
    while (i + 1 < h.size() && h.t(i) > h.t(i + 1)) {
      if (growthBetween(h, i, i + 1) > SPIKE_GROWTH_PER_SECOND) {
        i++;
      } else if (i + 2 < h.size()
          && h.t(i + 1) > h.t(i + 2)
          && growthBetween(h, i, i + 2) > SPIKE_GROWTH_PER_SECOND) {
        i += 2; // one slow sample inside a surge that grew fast across it: noise
      } else {
        break;
      }
    }
    return h.t(0) - h.t(i);
  }

  /** Relative growth per second over the last two intervals. */
  private static double recentGrowth(SeriesHistory h) {
    if (h.size() < 3 || h.t(0) <= h.t(2)) {
      return 0;
    }
    return growthBetween(h, 0, 2);
  }

  /**
   * Relative growth per second from the {@code older}-th to the {@code newer}-th most recent
   * sample.
   */
  private static double growthBetween(SeriesHistory h, int newer, int older) {
    return (logLevel(h.v(newer)) - logLevel(h.v(older))) / (h.t(newer) - h.t(older));
  }

  /** The log of a level, offset so that near-empty series do not read as explosive growth. */
  private static double logLevel(double v) {
    return Math.log(v + 20);
  }

  /** Least-squares slope (per second): over the trend window, or the recent one if flatter. */
  private static double slope(SeriesHistory h) {
    return Math.min(
        regression(h, TREND_WINDOW_SECONDS, false), regression(h, RECENT_TREND_SECONDS, false));
  }

  /** Least-squares slope of log demand (relative growth per second) over the growth window. */
  private static double growth(SeriesHistory h) {
    return regression(h, GROWTH_WINDOW_SECONDS, true);
  }

  private static double regression(SeriesHistory h, double window, boolean log) {
    return regression(h, 0, window, log);
  }

  /** Least-squares slope over the samples {@code from} to {@code to} seconds old. */
  private static double regression(SeriesHistory h, double from, double to, boolean log) {
    LineFit fit = new LineFit();
    double t0 = h.t(0);
    for (int i = 0; i < h.size() && t0 - h.t(i) <= to; i++) {
      if (t0 - h.t(i) >= from) {
        fit.add(h.t(i) - t0, log ? logLevel(h.v(i)) : h.v(i));
      }
    }
    return fit.slope();
  }

  /**
   * How much a spike growing at {@code growth} now grows over {@code reach} seconds, in log terms.
   * A surge whose rate has been falling (an audience nearing its size: logistic growth, not
   * exponential) keeps falling as it did: the rate over the growth window before this one, against
   * {@code now} (the faster of this window's and the last two intervals': slowing is believed only
   * where the newest samples show it too, as a pause the surge has already climbed out of, or
   * relays full for a moment flattening the viewers seen, is not decay), gives how fast ({@code
   * tau}), and the rate is integrated as it decays. A surge too young to have two windows, or not
   * slowing, is extrapolated at its rate now.
   */
  private static double spikeLogGrowth(
      SeriesHistory h, double growth, double now, double reach, double age) {
    if (age < 2 * GROWTH_WINDOW_SECONDS) {
      return growth * reach;
    }
    double before = regression(h, GROWTH_WINDOW_SECONDS, 2 * GROWTH_WINDOW_SECONDS, true);
    if (before <= now || now <= 0) {
      return growth * reach;
    }
    double tau = GROWTH_WINDOW_SECONDS / Math.log(before / now);
    return growth * tau * (1 - Math.exp(-reach / tau));
  }

  private record Made(SeriesKey key, Duration horizon) {}

  private static double seconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1e9;
  }
}
