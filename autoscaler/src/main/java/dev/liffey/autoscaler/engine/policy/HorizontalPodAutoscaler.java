package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Kubernetes' HorizontalPodAutoscaler (autoscaling/v2, default behavior) for one service, on the
 * region's viewers as an AverageValue metric with a target of the replica's capacity at the target
 * utilization, as the Kubernetes documentation ("Horizontal Pod Autoscaling", algorithm details and
 * default behavior) and the controller's defaults describe it:
 *
 * <ul>
 *   <li>it syncs every {@link #SYNC_PERIOD} (--horizontal-pod-autoscaler-sync-period); between
 *       syncs nothing changes;
 *   <li>desired = ceil(current x metric / target), unless the ratio is within {@value #TOLERANCE}
 *       of 1, where it keeps the current replicas; no metric, no recommendation;
 *   <li>scale-down is stabilized: the highest recommendation of the last {@link
 *       #SCALE_DOWN_STABILIZATION} is used; scale-up is not (a window of 0);
 *   <li>scale-up is limited to the larger of +{@value #SCALE_UP_PERCENT}% and +{@value
 *       #SCALE_UP_PODS} pods per {@link #SCALE_UP_PERIOD}, counted from the replicas at the start
 *       of that period; scale-down to 100% per 15 s (no limit beyond the window); then minReplicas
 *       and maxReplicas.
 * </ul>
 *
 * <p>A tick that falls between two syncs runs none; one that passes a sync time runs it, so with 10
 * s ticks the syncs fall 10 or 20 s apart, four a minute as in Kubernetes. Not thread-safe.
 */
final class HorizontalPodAutoscaler {
  static final Duration SYNC_PERIOD = Duration.ofSeconds(15);
  static final double TOLERANCE = 0.1;
  static final Duration SCALE_DOWN_STABILIZATION = Duration.ofSeconds(300);
  static final Duration SCALE_UP_PERIOD = Duration.ofSeconds(15);
  static final int SCALE_UP_PERCENT = 100;
  static final int SCALE_UP_PODS = 4;

  private record Timed(Instant at, int replicas) {}

  private final FleetSpec spec;
  private final double targetPerReplica;
  private final Deque<Timed> recommendations = new ArrayDeque<>();
  private final Deque<Timed> scaleUps = new ArrayDeque<>();
  private Instant nextSync;
  private String status = "HPA, no sync yet";

  HorizontalPodAutoscaler(FleetSpec spec, double targetUtilization) {
    this.spec = spec;
    this.targetPerReplica = spec.unitCapacity() * targetUtilization;
  }

  /** The plan for this tick; {@code viewers} is NaN when the metric is missing or stale. */
  FleetPlan decide(Instant now, FleetState state, double viewers) {
    if (nextSync == null) {
      nextSync = now;
    }
    int current = state.desired();
    if (now.isBefore(nextSync)) {
      return FleetPlan.hold(
          spec.id(), spec.id().toString(), current, 0, status + " (between syncs)");
    }
    // The sync this tick runs is the last one due; windows and rate limits count from when it was
    // due,
    // as they would in a controller that ran it on time.
    Instant syncAt = nextSync;
    while (!nextSync.isAfter(now)) {
      syncAt = nextSync;
      nextSync = nextSync.plus(SYNC_PERIOD);
    }
    if (Double.isNaN(viewers)) {
      status = "HPA, metric unavailable: no recommendation";
      return FleetPlan.hold(spec.id(), spec.id().toString(), current, 0, status);
    }
    double ratio = current > 0 ? viewers / (targetPerReplica * current) : Double.POSITIVE_INFINITY;
    int raw =
        Math.abs(ratio - 1) <= TOLERANCE
            ? current
            : (int) Math.ceil(viewers / targetPerReplica - 1e-9);
    String metric =
        String.format(
            Locale.ROOT,
            "%,.0f viewers at %,.0f a replica target, ratio %.2f",
            viewers,
            targetPerReplica,
            ratio);

    recommendations.addLast(new Timed(syncAt, raw));
    Instant downCutoff = syncAt.minus(SCALE_DOWN_STABILIZATION);
    while (!recommendations.peekFirst().at().isAfter(downCutoff)) {
      recommendations.removeFirst();
    }
    int down = recommendations.stream().mapToInt(Timed::replicas).max().orElse(raw);
    int next = current;
    String why;
    if (raw > current) {
      next = raw;
      why = "HPA, " + metric + " beyond ±10%";
    } else if (down < current) {
      next = down;
      why =
          "HPA, "
              + metric
              + "; highest recommendation of the last "
              + SCALE_DOWN_STABILIZATION.toSeconds()
              + "s is "
              + down;
    } else {
      why =
          raw < current
              ? "HPA, "
                  + metric
                  + "; scale-down stabilized at "
                  + down
                  + ", the highest recommendation"
                  + " of the last "
                  + SCALE_DOWN_STABILIZATION.toSeconds()
                  + "s"
              : "HPA, " + metric + " within ±10%";
    }
    if (next > current) {
      Instant upCutoff = syncAt.minus(SCALE_UP_PERIOD);
      while (!scaleUps.isEmpty() && !scaleUps.peekFirst().at().isAfter(upCutoff)) {
        scaleUps.removeFirst();
      }
      int periodStart = current - scaleUps.stream().mapToInt(Timed::replicas).sum();
      int limit =
          Math.max(
              (int) Math.ceil(periodStart * (1 + SCALE_UP_PERCENT / 100.0)),
              periodStart + SCALE_UP_PODS);
      if (next > limit) {
        next = limit;
        why +=
            String.format(
                Locale.ROOT,
                " (scale-up limit: +%d%% or +%d pods per %ds)",
                SCALE_UP_PERCENT,
                SCALE_UP_PODS,
                SCALE_UP_PERIOD.toSeconds());
      }
    }
    if (spec.clamp(next) != next) {
      next = spec.clamp(next);
      why += next == spec.min() ? ", then minReplicas " + next : ", then maxReplicas " + next;
    }
    if (next > current) {
      scaleUps.addLast(new Timed(syncAt, next - current));
    }
    status = why;
    return FleetPlan.resize(spec.id(), spec.id().toString(), current, next, 0, why);
  }
}
