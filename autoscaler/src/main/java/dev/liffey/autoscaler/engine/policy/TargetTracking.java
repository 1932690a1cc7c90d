package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.policy.Datapoints.Datapoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * EC2 Auto Scaling target tracking on one group's utilization (demand over in-service capacity),
 * with the two alarms AWS creates for it: AlarmHigh, utilization above the target for {@value
 * #SCALE_OUT_DATAPOINTS} consecutive datapoints, and AlarmLow, below {@value #SCALE_IN_FRACTION} of
 * it for {@value #SCALE_IN_DATAPOINTS}. While one is in ALARM the policy asks, at every datapoint,
 * for ceil(in-service capacity x utilization / target): instances still warming up are not part of
 * the current capacity, so a breach that persists while they boot asks for the same capacity again
 * rather than more. Not thread-safe.
 *
 * <p>Sources: "Target tracking scaling policies for Amazon EC2 Auto Scaling" (EC2 Auto Scaling User
 * Guide) and the alarms it creates, as the console shows them: "metric > target for 3 datapoints
 * within 3 minutes", "metric < x for 15 datapoints within 15 minutes", where AWS picks x (published
 * examples show 70-90% of the target; 90% scales in soonest, the kindest to cost). "Create a target
 * tracking policy using high-resolution metrics for faster response" allows periods of 10 or 30 s
 * and does not say that the datapoint counts change, so they are kept: a 10 s metric scales out
 * after 30 s of breach, and in after 150 s below.
 */
final class TargetTracking {
  static final int SCALE_OUT_DATAPOINTS = 3;
  static final int SCALE_IN_DATAPOINTS = 15;
  static final double SCALE_IN_FRACTION = 0.9;

  private final double target;
  private final Datapoints metric;
  private final Alarm high;
  private final Alarm low;
  private Datapoint last;
  private CapacityRequest out;
  private CapacityRequest in;

  TargetTracking(double target, Duration period) {
    this.target = target;
    this.metric = new Datapoints(period);
    this.high = new Alarm(u -> u > target, SCALE_OUT_DATAPOINTS);
    this.low = new Alarm(u -> u < SCALE_IN_FRACTION * target, SCALE_IN_DATAPOINTS);
  }

  /**
   * Takes this tick's sample ({@code demand} NaN when missing or stale) and evaluates any datapoint
   * it completes.
   */
  void observe(Instant now, double demand, double inServiceCapacity) {
    out = null;
    in = null;
    for (Datapoint d : metric.add(now, demand, inServiceCapacity)) {
      boolean highAlarm = high.evaluate(d.utilization());
      boolean lowAlarm = low.evaluate(d.utilization());
      last = d;
      if (d.missing()) {
        out = null;
        in = null;
        continue;
      }
      // AWS sizes from the metric and the capacity in service; with nothing in service, from the
      // demand.
      double capacity =
          inServiceCapacity > 0
              ? d.utilization() * inServiceCapacity / target
              : d.demand() / target;
      out =
          highAlarm
              ? new CapacityRequest(
                  capacity,
                  String.format(
                      Locale.ROOT,
                      "target tracking, utilization %.0f%% > %.0f%% for %d datapoints of %ds",
                      d.utilization() * 100,
                      target * 100,
                      high.breaching(),
                      seconds()))
              : null;
      in =
          lowAlarm
              ? new CapacityRequest(
                  capacity,
                  String.format(
                      Locale.ROOT,
                      "target tracking, utilization %.0f%% < %.0f%% for %d datapoints of %ds",
                      d.utilization() * 100,
                      SCALE_IN_FRACTION * target * 100,
                      low.breaching(),
                      seconds()))
              : null;
    }
  }

  /** What AlarmHigh asks for at the datapoint completed this tick, if it is in ALARM. */
  Optional<CapacityRequest> scaleOut() {
    return Optional.ofNullable(out);
  }

  /** What AlarmLow asks for at the datapoint completed this tick, if it is in ALARM. */
  Optional<CapacityRequest> scaleIn() {
    return Optional.ofNullable(in);
  }

  /** The last datapoint, in words, for the reasons of a hold. */
  String status() {
    if (last == null) {
      return "target tracking, no " + seconds() + "s datapoint yet";
    }
    if (last.missing()) {
      return "target tracking, no datapoint";
    }
    return String.format(
        Locale.ROOT,
        "target tracking, utilization %.0f%% (scale out above %.0f%%, in below %.0f%%)",
        last.utilization() * 100,
        target * 100,
        SCALE_IN_FRACTION * target * 100);
  }

  private long seconds() {
    return metric.period().toSeconds();
  }
}
