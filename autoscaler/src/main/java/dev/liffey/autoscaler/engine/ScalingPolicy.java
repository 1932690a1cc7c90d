package dev.liffey.autoscaler.engine;

/**
 * Observations in, decision out. Implementations may keep history between ticks; one instance
 * serves one control loop and is not thread-safe.
 */
public interface ScalingPolicy {
  String name();

  Decision decide(Observation observation);
}
