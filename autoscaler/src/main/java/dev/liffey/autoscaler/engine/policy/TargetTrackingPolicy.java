package dev.liffey.autoscaler.engine.policy;

import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;

/**
 * The baseline platform teams run today: EC2 Auto Scaling target tracking on each group's
 * utilization at {@code scaling.targetUtilization} ({@link TargetTracking}: scale out after 3
 * datapoints above the target, in after 15 below 90% of it, instances warming up not counted, no
 * scale-in while they do), services by Kubernetes' HPA, fixed routing. {@link #NAME} reads the
 * one-minute metric most groups have; {@link #HIGH_RESOLUTION_NAME} the 10 s high-resolution metric
 * AWS accepts and recommends for live streaming. Keeps history; one instance per loop.
 */
public final class TargetTrackingPolicy extends AwsBaseline {
  public static final String NAME = "target-tracking";
  public static final String HIGH_RESOLUTION_NAME = "target-tracking-10s";

  /** CloudWatch's standard resolution, target tracking's default period. */
  public static final Duration STANDARD_PERIOD = Duration.ofSeconds(60);

  /** The shortest period target tracking accepts for a high-resolution metric (10, 30 or 60 s). */
  public static final Duration HIGH_RESOLUTION_PERIOD = Duration.ofSeconds(10);

  /** Target tracking on the one-minute metric. */
  public TargetTrackingPolicy(EdgeConfig config) {
    this(config, NAME, STANDARD_PERIOD);
  }

  private TargetTrackingPolicy(EdgeConfig config, String name, Duration period) {
    super(config, name, period, false, false);
  }

  /** Target tracking on the 10 s high-resolution metric. */
  public static TargetTrackingPolicy highResolution(EdgeConfig config) {
    return new TargetTrackingPolicy(config, HIGH_RESOLUTION_NAME, HIGH_RESOLUTION_PERIOD);
  }
}
