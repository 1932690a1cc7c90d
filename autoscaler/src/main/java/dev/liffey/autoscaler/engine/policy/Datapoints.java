package dev.liffey.autoscaler.engine.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A CloudWatch metric as an alarm reads it: the samples of each period averaged into one datapoint
 * (the Average statistic), periods aligned to the epoch as CloudWatch aligns them. A sample taken
 * at {@code t} describes the time just before {@code t}, so the sample at a period's end completes
 * it and its datapoint is ready at once. A period without a fresh sample yields a missing
 * datapoint. Not thread-safe.
 */
final class Datapoints {
  /**
   * One period's average: utilization of the in-service capacity, and the demand behind it; NaN if
   * missing.
   */
  record Datapoint(Instant end, double utilization, double demand) {
    boolean missing() {
      return Double.isNaN(utilization);
    }
  }

  private final Duration period;
  private final long periodMillis;
  private long open = Long.MIN_VALUE;
  private double utilizationSum;
  private double demandSum;
  private int samples;

  Datapoints(Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a metric period must be positive, not " + period);
    }
    this.period = period;
    this.periodMillis = period.toMillis();
  }

  Duration period() {
    return period;
  }

  /**
   * Adds the sample taken at {@code at} ({@code demand} NaN when the series is missing or stale)
   * and returns the datapoints of the periods it completes, oldest first.
   */
  List<Datapoint> add(Instant at, double demand, double capacity) {
    List<Datapoint> closed = new ArrayList<>(1);
    long ms = at.toEpochMilli();
    long index = Math.floorDiv(ms - 1, periodMillis);
    if (open != Long.MIN_VALUE && index != open) {
      closed.add(close()); // the period ended without a sample at its end
    }
    open = index;
    if (!Double.isNaN(demand)) {
      demandSum += demand;
      // Viewers on a region with nothing in service: as full as a metric can say.
      utilizationSum += capacity > 0 ? demand / capacity : (demand > 0 ? 10 : 0);
      samples++;
    }
    if (Math.floorMod(ms, periodMillis) == 0) {
      closed.add(close());
    }
    return closed;
  }

  private Datapoint close() {
    Instant end = Instant.ofEpochMilli((open + 1) * periodMillis);
    Datapoint d =
        samples == 0
            ? new Datapoint(end, Double.NaN, Double.NaN)
            : new Datapoint(end, utilizationSum / samples, demandSum / samples);
    open = Long.MIN_VALUE;
    utilizationSum = 0;
    demandSum = 0;
    samples = 0;
    return d;
  }
}
