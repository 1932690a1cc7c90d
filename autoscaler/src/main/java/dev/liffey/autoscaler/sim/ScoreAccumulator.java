package dev.liffey.autoscaler.sim;

/** Integrates a run's figures step by step. */
final class ScoreAccumulator {
  final java.util.Map<dev.liffey.autoscaler.engine.FleetKind, Double> costByKind =
      new java.util.EnumMap<>(dev.liffey.autoscaler.engine.FleetKind.class);
  private static final int MAX_LATENCY_MILLIS = 2000;
  private final double[] latencyHistogram = new double[MAX_LATENCY_MILLIS + 1];
  double unservedViewerSeconds;
  double servedViewerSeconds;
  double slowViewerSeconds;
  double costUsd;
  double peakViewers;
  double unservedStreamSeconds;
  double unservedServiceViewerSeconds;

  void served(double viewerSeconds, double latencyMillis, int sloMillis) {
    if (viewerSeconds <= 0) {
      return;
    }
    servedViewerSeconds += viewerSeconds;
    if (latencyMillis > sloMillis) {
      slowViewerSeconds += viewerSeconds;
    }
    latencyHistogram[(int) Math.min(MAX_LATENCY_MILLIS, Math.max(0, Math.round(latencyMillis)))] += viewerSeconds;
  }

  double p95LatencyMillis() {
    double total = 0;
    for (double w : latencyHistogram) {
      total += w;
    }
    if (total == 0) {
      return 0;
    }
    double seen = 0;
    for (int ms = 0; ms < latencyHistogram.length; ms++) {
      seen += latencyHistogram[ms];
      if (seen >= 0.95 * total) {
        return ms;
      }
    }
    return MAX_LATENCY_MILLIS;
  }

  Scorecard toScorecard(String policy, long scalingActions) {
    return new Scorecard(policy, unservedViewerSeconds, servedViewerSeconds, slowViewerSeconds, costUsd,
        scalingActions, peakViewers, p95LatencyMillis(), unservedStreamSeconds, unservedServiceViewerSeconds);
  }
}
