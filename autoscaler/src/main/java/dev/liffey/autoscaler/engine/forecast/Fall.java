package dev.liffey.autoscaler.engine.forecast;

import java.time.Duration;

/**
 * An audience that fell away from a level it held: a break, a channel switch, an outage. It may
 * come back, and as fast as it left: a break ends all at once, as it began; an audience that faded
 * over half an hour does not return in a minute.
 *
 * @param held the level the series held (for a scale-in stabilization window at least) within the
 *     hour
 * @param level the latest sample, below {@link DemandForecaster#RETURN_BAND} of {@code held}
 * @param fastestPerSecond the fastest it fell from one minute to the next within the hour
 */
public record Fall(double held, double level, double fastestPerSecond) {

  /**
   * What of the fall could come back within {@code lead}: all of it, at most, at the speed it left.
   */
  public double backWithin(Duration lead) {
    double seconds = lead.toMillis() / 1000.0;
    return Math.max(0, Math.min(held - level, fastestPerSecond * seconds));
  }
}
