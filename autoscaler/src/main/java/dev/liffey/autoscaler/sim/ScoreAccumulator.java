package dev.liffey.autoscaler.sim;

/** Integrates a run's figures step by step. */
final class ScoreAccumulator {
  /** Why viewers who wanted to watch could not. */
  enum Cause {
    /** Refused a join: every relay of the region they were sent to was full. */
    NO_RELAY_SLOT("noRelaySlot"),
    /** Watching on a relay that went away (a scale-in below the viewers it held): the rejoin lost. */
    DROPPED("dropped");

    final String key;

    Cause(String key) {
      this.key = key;
    }
  }

  private final java.util.Map<String, Double> unservedByCause = new java.util.TreeMap<>();
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
  double slowFloorViewerSeconds;
  double botCapacityInstanceHours;

  void unserved(Cause cause, double viewerSeconds) {
    unservedViewerSeconds += viewerSeconds;
    unservedByCause.merge(cause.key, viewerSeconds, Double::sum);
  }

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
        scalingActions, peakViewers, p95LatencyMillis(), unservedStreamSeconds, unservedServiceViewerSeconds,
        java.util.Map.copyOf(unservedByCause), slowFloorViewerSeconds, botCapacityInstanceHours);
  }
}
