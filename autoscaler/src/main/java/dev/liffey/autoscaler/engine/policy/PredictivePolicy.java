package dev.liffey.autoscaler.engine.policy;

import dev.liffey.core.config.EdgeConfig;

/**
 * AWS predictive scaling in forecast-and-scale mode ({@link PredictiveScaling}: an hourly capacity
 * forecast from at least 24 h of the group's load, scheduled 300 s before each hour, never scaling
 * in) combined, as AWS recommends, with target tracking on the 10 s high-resolution metric. With
 * less than 24 h of history it is target tracking alone, and says so in its reasons. Services by
 * HPA, fixed routing. Keeps history; one instance per loop.
 */
public final class PredictivePolicy extends AwsBaseline {
  public static final String NAME = "predictive";

  public PredictivePolicy(EdgeConfig config) {
    super(config, NAME, TargetTrackingPolicy.HIGH_RESOLUTION_PERIOD, false, true);
  }
}
