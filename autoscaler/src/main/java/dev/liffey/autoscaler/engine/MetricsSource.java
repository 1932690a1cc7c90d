package dev.liffey.autoscaler.engine;

/** Reads the edge metrics: CloudWatch in production, the simulator in tests and demos. */
public interface MetricsSource {
  Metrics read();
}
