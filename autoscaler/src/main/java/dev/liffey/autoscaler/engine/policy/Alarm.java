package dev.liffey.autoscaler.engine.policy;

import java.util.function.DoublePredicate;

/**
 * A CloudWatch metric alarm over consecutive datapoints ("N datapoints within N periods"): in ALARM
 * while the last {@code datapoints} datapoints all breach. A missing datapoint breaks the run, so a
 * metric that stops reporting never scales anything (the conservative reading of "treat missing
 * data as missing"). While it stays in ALARM its Auto Scaling action is invoked again at every
 * datapoint: CloudWatch repeats Auto Scaling actions, unlike its other actions, while the condition
 * persists ("Alarm actions", CloudWatch User Guide), without saying how often; every datapoint is
 * the most responsive reading, the kindest to the baselines. Not thread-safe.
 */
final class Alarm {
  private final DoublePredicate breaching;
  private final int datapoints;
  private int consecutive;

  Alarm(DoublePredicate breaching, int datapoints) {
    if (datapoints < 1) {
      throw new IllegalArgumentException(
          "an alarm needs at least one datapoint, not " + datapoints);
    }
    this.breaching = breaching;
    this.datapoints = datapoints;
  }

  /** Evaluates one more datapoint (NaN: missing); true if the alarm is in ALARM after it. */
  boolean evaluate(double value) {
    consecutive = !Double.isNaN(value) && breaching.test(value) ? consecutive + 1 : 0;
    return inAlarm();
  }

  boolean inAlarm() {
    return consecutive >= datapoints;
  }

  /** How many datapoints in a row breached, up to now. */
  int breaching() {
    return consecutive;
  }

  int datapoints() {
    return datapoints;
  }
}
