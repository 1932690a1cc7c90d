package dev.liffey.autoscaler.sim;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * A trace before it is written: viewers per market and streams per region as functions of the
 * seconds since the start, and latency changes per region. {@link #csv} samples it into the trace
 * format: every {@code stepSeconds} each market's viewers (with its noise), every {@code
 * streamsEverySeconds} each region's streams, each latency change and GPU shortage at its time, and
 * each market's bots at every step while there are any (and the step they end). Immutable.
 *
 * @param lengthSeconds the last row's time
 * @param viewers one curve per market, written in this order at every step
 * @param streams one curve per region, written in this order every {@code streamsEverySeconds}
 * @param latency extra edge latency per region, each from its time on
 * @param bots bot clients trying to join per market (unverified tokens), with their noise
 * @param shortages GPU instances EC2 can run per group, each from its time on
 */
record Scenario(
    double lengthSeconds,
    double stepSeconds,
    List<Curve> viewers,
    double streamsEverySeconds,
    List<Curve> streams,
    List<LatencyChange> latency,
    List<Curve> bots,
    List<ShortageChange> shortages,
    List<PublishingChange> publishing) {

  /**
   * A market's viewers (or a region's streams) over time; {@code noise} is the relative standard
   * deviation.
   */
  record Curve(String key, DoubleUnaryOperator value, double noise) {
    Curve(String key, DoubleUnaryOperator value) {
      this(key, value, 0);
    }
  }

  /** From {@code atSeconds} on, {@code region}'s edge adds {@code extraMillis} (0 clears it). */
  record LatencyChange(double atSeconds, String region, double extraMillis) {}

  /**
   * From {@code atSeconds} on, EC2 can run at most {@code instances} of the GPU group's type
   * ({@code region/instance-type}) in its region; {@link #NO_SHORTAGE} ends a shortage.
   */
  record ShortageChange(double atSeconds, String group, double instances) {}

  /**
   * From {@code atSeconds} on, {@code share} of {@code region}'s relays publish their counts (1:
   * all again).
   */
  record PublishingChange(double atSeconds, String region, double share) {}

  /** Far above any GPU group's maximum: the shortage is over. */
  static final double NO_SHORTAGE = 1_000;

  Scenario {
    viewers = List.copyOf(viewers);
    streams = List.copyOf(streams);
    latency = List.copyOf(latency);
    bots = List.copyOf(bots);
    shortages = List.copyOf(shortages);
    publishing = List.copyOf(publishing);
  }

  /** A scenario without bots, GPU shortages or relays that stop publishing. */
  Scenario(
      double lengthSeconds,
      double stepSeconds,
      List<Curve> viewers,
      double streamsEverySeconds,
      List<Curve> streams,
      List<LatencyChange> latency) {
    this(
        lengthSeconds,
        stepSeconds,
        viewers,
        streamsEverySeconds,
        streams,
        latency,
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * The trace, noise drawn from {@code random}; {@code comment} (if not empty) heads it as {@code
   * #} lines.
   */
  String csv(Random random, String comment) {
    TraceWriter w = new TraceWriter(random);
    if (!comment.isEmpty()) {
      w.comment(comment);
    }
    double[] botsWritten = new double[bots.size()];
    for (double t = 0; t <= lengthSeconds; t += stepSeconds) {
      for (Curve c : viewers) {
        w.viewers(t, c.key(), c.value().applyAsDouble(t), c.noise());
      }
      if (t % streamsEverySeconds == 0) {
        for (Curve c : streams) {
          w.streams(t, c.key(), c.value().applyAsDouble(t));
        }
      }
      for (LatencyChange l : latency) {
        if (l.atSeconds() >= t && l.atSeconds() < t + stepSeconds) {
          w.latency(l.atSeconds(), l.region(), l.extraMillis());
        }
      }
      for (ShortageChange c : shortages) {
        if (c.atSeconds() >= t && c.atSeconds() < t + stepSeconds) {
          w.shortage(c.atSeconds(), c.group(), c.instances());
        }
      }
      for (PublishingChange c : publishing) {
        if (c.atSeconds() >= t && c.atSeconds() < t + stepSeconds) {
          w.publishing(c.atSeconds(), c.region(), c.share());
        }
      }
      for (int i = 0; i < bots.size(); i++) {
        Curve c = bots.get(i);
        double v = c.value().applyAsDouble(t);
        // A row while a flood goes on and one when it ends: a value holds until the next row.
        if (v > 0 || botsWritten[i] > 0) {
          botsWritten[i] = w.bots(t, c.key(), v, c.noise());
        }
      }
    }
    return w.csv();
  }
}
