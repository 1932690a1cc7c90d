package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.policy.Datapoints.Datapoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The step scaling policy a platform team adds beside target tracking for spikes ("you can
 * configure a more aggressive response when demand reaches a certain level": EC2 Auto Scaling User
 * Guide, "Step and simple scaling policies"). One alarm, utilization at or above {@link
 * #ALARM_THRESHOLD} x the target for {@value #DATAPOINTS} datapoint of the high-resolution metric;
 * step adjustments of type PercentChangeInCapacity:
 *
 * <ul>
 *   <li>from 1.5x to 2x the target: +100% of the capacity in service;
 *   <li>from 2x the target up: +200%.
 * </ul>
 *
 * <p>Why these steps: target tracking already restores the target in proportion to the breach (at
 * 2x the target it asks for twice the capacity), so a spike policy that did the same would add
 * nothing. A team adds one because a demand that is already 1.5x what the group is sized for is
 * still growing while the new instances boot (32 s warm, 95 s cold here); each step leaves room for
 * the demand at its lower bound to grow by a third (at 1.5x) to a half (at 2x) more before those
 * instances serve. One datapoint, because a breach of the threshold already means refused viewers:
 * nothing is gained by confirming it. A breach that lasts fires again at every datapoint, and once
 * the launched instances serve each firing grows the group again. As AWS does: the adjustment is a
 * percentage of the current capacity, which leaves out instances still warming up, and the group's
 * desired capacity rises only by what that adds beyond it (repeated breaches in one step while
 * instances boot launch nothing more); a fractional adjustment above 1 is rounded down, one between
 * 0 and 1 becomes 1. Scale-in is left to target tracking. Not thread-safe.
 */
final class StepScaling {
  /** The alarm's threshold, as a multiple of the target utilization. */
  static final double ALARM_THRESHOLD = 1.5;

  static final int DATAPOINTS = 1;

  /**
   * A step: from {@code fromTimesTarget} x the target utilization up, add {@code percent} of the
   * capacity.
   */
  record Step(double fromTimesTarget, int percent) {}

  static final List<Step> STEPS = List.of(new Step(1.5, 100), new Step(2.0, 200));

  private final double target;
  private final Datapoints metric;
  private final Alarm alarm;

  StepScaling(double target, Duration period) {
    this.target = target;
    this.metric = new Datapoints(period);
    this.alarm = new Alarm(u -> u >= ALARM_THRESHOLD * target, DATAPOINTS);
  }

  /**
   * Takes this tick's sample and returns what the policy asks for if a datapoint completed with the
   * alarm in ALARM. {@code demandPerCapacityUnit} says what one capacity unit (an instance, or a
   * weighted ladder slot) carries, the unit AWS rounds the adjustment in.
   */
  Optional<CapacityRequest> observe(
      Instant now, double demand, double inServiceCapacity, double demandPerCapacityUnit) {
    CapacityRequest p = null;
    for (Datapoint d : metric.add(now, demand, inServiceCapacity)) {
      p = null;
      if (!alarm.evaluate(d.utilization())) {
        continue;
      }
      Step step = STEPS.get(0);
      for (Step s : STEPS) {
        if (d.utilization() >= s.fromTimesTarget() * target) {
          step = s;
        }
      }
      double units = inServiceCapacity / demandPerCapacityUnit;
      double adjustment = units * step.percent() / 100.0;
      long added = adjustment > 1 ? (long) Math.floor(adjustment) : 1;
      p =
          new CapacityRequest(
              (units + added) * demandPerCapacityUnit,
              String.format(
                  Locale.ROOT,
                  "step scaling +%d%%, utilization %.0f%% >= %.1fx the %.0f%% target for %d datapoint of %ds",
                  step.percent(),
                  d.utilization() * 100,
                  step.fromTimesTarget(),
                  target * 100,
                  DATAPOINTS,
                  metric.period().toSeconds()));
    }
    return Optional.ofNullable(p);
  }
}
