package dev.liffey.autoscaler.engine.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AWS predictive scaling for one group, in forecast-and-scale mode, as the EC2 Auto Scaling User
 * Guide ("Predictive scaling for Amazon EC2 Auto Scaling") and the Application Auto Scaling guide
 * ("How predictive scaling works") describe it:
 *
 * <ul>
 *   <li>the load metric (the group's demand) is kept as hourly averages; forecasting starts once
 *       {@link #HISTORY_NEEDED} of it exists, looks back at most {@value #DAYS_LOOKED_BACK} days,
 *       and is refreshed every {@link #REFRESH} for the next {@link #HORIZON};
 *   <li>the capacity forecast for an hour is the capacity that carries that hour's load forecast at
 *       the target utilization;
 *   <li>each hour's capacity is scheduled {@link #SCHEDULING_BUFFER} ahead (SchedulingBufferTime's
 *       default; it covers the longest cold boot in edge-regions.yaml, 300 s): if the group has
 *       less, its desired capacity is raised to it; if it has more, predictive scaling does not
 *       scale in.
 * </ul>
 *
 * <p>AWS's forecasting model is not published. This one is a stand-in with the same inputs and
 * horizon: the forecast load of an hour is the mean load of the same hour of the day over the days
 * of history it has (up to 14), which learns a repeating daily shape exactly and a weekly one not
 * at all. Combined with target tracking as AWS recommends ("Use predictive scaling with dynamic
 * scaling"): the group's desired capacity is the larger of the two, so the hour's forecast is also
 * the floor target tracking scales in to. Not thread-safe.
 */
final class PredictiveScaling {
  static final Duration HISTORY_NEEDED = Duration.ofHours(24);
  static final int DAYS_LOOKED_BACK = 14;
  static final Duration REFRESH = Duration.ofHours(6);
  static final Duration HORIZON = Duration.ofHours(48);
  static final Duration SCHEDULING_BUFFER = Duration.ofSeconds(300);

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * The forecast for one hour: its load, how many days of that hour it averages, and the capacity
   * it schedules.
   */
  record HourForecast(Instant hour, double load, int days, double capacity) {}

  private final double target;
  private final Map<Long, double[]> hourlyLoad = new HashMap<>();
  private final Map<Long, HourForecast> forecast = new HashMap<>();
  private Instant firstSample;
  private Instant refreshedAt;

  PredictiveScaling(double target) {
    this.target = target;
  }

  /**
   * Takes this tick's sample of the load metric ({@code demand} NaN when missing: nothing
   * recorded).
   */
  void observe(Instant now, double demand) {
    if (!Double.isNaN(demand)) {
      if (firstSample == null) {
        firstSample = now;
      }
      // A sample taken at t describes the time just before t.
      double[] sum =
          hourlyLoad.computeIfAbsent(
              Math.floorDiv(now.toEpochMilli() - 1, HOUR_MILLIS), h -> new double[2]);
      sum[0] += demand;
      sum[1]++;
    }
    boolean due = refreshedAt == null || !now.isBefore(refreshedAt.plus(REFRESH));
    if (due && history(now).compareTo(HISTORY_NEEDED) >= 0) {
      refresh(now);
    }
  }

  /** How much load history the policy has. */
  Duration history(Instant now) {
    return firstSample == null ? Duration.ZERO : Duration.between(firstSample, now);
  }

  /**
   * The forecast scheduled now: that of the hour starting within the scheduling buffer, or under
   * way.
   */
  Optional<HourForecast> scheduled(Instant now) {
    long hour = Math.floorDiv(now.plus(SCHEDULING_BUFFER).toEpochMilli(), HOUR_MILLIS);
    return Optional.ofNullable(forecast.get(hour));
  }

  /** What predictive scaling asks for now, if it has a forecast for this hour. */
  Optional<CapacityRequest> request(Instant now) {
    return scheduled(now)
        .map(
            f ->
                new CapacityRequest(
                    f.capacity(),
                    String.format(
                        Locale.ROOT,
                        "predictive scaling, forecast %,.0f for %s-%s UTC (that hour's mean over %d day%s), scheduled %ds ahead",
                        f.load(),
                        HH_MM.format(f.hour()),
                        HH_MM.format(f.hour().plusMillis(HOUR_MILLIS)),
                        f.days(),
                        f.days() == 1 ? "" : "s",
                        SCHEDULING_BUFFER.toSeconds())));
  }

  /**
   * Why predictive scaling is not acting, or what it has scheduled, for the reasons of every
   * decision.
   */
  String status(Instant now) {
    if (refreshedAt == null) {
      return String.format(
          Locale.ROOT,
          "predictive: %.1f h of history, forecasts need %d h, so target tracking alone",
          history(now).toMinutes() / 60.0,
          HISTORY_NEEDED.toHours());
    }
    return scheduled(now)
        .map(
            f ->
                String.format(
                    Locale.ROOT,
                    "predictive: %,.0f forecast for %s UTC",
                    f.load(),
                    HH_MM.format(f.hour())))
        .orElse("predictive: no forecast for this hour, so target tracking alone");
  }

  private void refresh(Instant now) {
    refreshedAt = now;
    forecast.clear();
    long current =
        Math.floorDiv(now.toEpochMilli(), HOUR_MILLIS); // the hours before it are complete
    for (long h = current; h < current + HORIZON.toMillis() / HOUR_MILLIS; h++) {
      double sum = 0;
      int days = 0;
      for (int d = 1; d <= DAYS_LOOKED_BACK; d++) {
        long past = h - 24L * d;
        double[] load = hourlyLoad.get(past);
        if (past < current && load != null && load[1] > 0) {
          sum += load[0] / load[1];
          days++;
        }
      }
      if (days > 0) {
        double load = sum / days;
        forecast.put(
            h, new HourForecast(Instant.ofEpochMilli(h * HOUR_MILLIS), load, days, load / target));
      }
    }
  }
}
