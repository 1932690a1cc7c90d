package dev.liffey.autoscaler.engine.policy;

import dev.liffey.core.config.EdgeConfig;

/**
 * Target tracking on the 10 s high-resolution metric plus the step scaling policy a platform team
 * adds for spikes ({@link StepScaling}: +100% of the capacity in service from 1.5x the target
 * utilization, +200% from 2x, on one datapoint); the group takes whichever asks for more. Services
 * by HPA, fixed routing. Keeps history; one instance per loop.
 */
public final class StepScalingPolicy extends AwsBaseline {
  public static final String NAME = "step-scaling";

  public StepScalingPolicy(EdgeConfig config) {
    super(config, NAME, TargetTrackingPolicy.HIGH_RESOLUTION_PERIOD, true, false);
  }
}
