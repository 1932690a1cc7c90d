package dev.liffey.autoscaler.sim;

import dev.liffey.core.latency.LatencyModel;
import java.util.HashMap;
import java.util.Map;

/** Integrates a run's figures step by step. Not thread-safe. */
final class ScoreAccumulator {
  /** Why viewers who wanted to watch could not. */
  enum Cause {
    /** Refused a join: every relay of the region they were sent to was full. */
    NO_RELAY_SLOT("noRelaySlot"),
    /**
     * Watching on a relay that went away (a scale-in below the viewers it held): the rejoin lost.
     */
    DROPPED("dropped"),
    /** On a relay, but watching a stream no GPU of the region was transcoding: nothing to watch. */
    STREAM_NOT_TRANSCODED("streamNotTranscoded");

    final String key;

    Cause(String key) {
      this.key = key;
    }
  }

  // Served viewer-seconds by latency distribution, each keyed by its fixed part to 0.1 ms and its
  // utilization to 1e-4: few distinct keys (bases, penalties and utilizations repeat), so the p95
  // over every viewer-second is solved exactly at the end instead of sampled per step.
  private static final long UTILIZATION_STEPS = 10_000;
  private final Map<Long, Double> servedByDistribution = new HashMap<>();
  private final Map<String, Double> unservedByCause = new java.util.TreeMap<>();
  final Map<dev.liffey.autoscaler.engine.FleetKind, Double> costByKind =
      new java.util.EnumMap<>(dev.liffey.autoscaler.engine.FleetKind.class);
  private final LatencyModel latency;
  double unservedViewerSeconds;
  double servedViewerSeconds;
  double slowViewerSeconds;
  double costUsd;
  double egressUsd;
  double peakViewers;
  double unservedStreamSeconds;
  double degradedStreamSeconds;
  double unservedServiceViewerSeconds;
  double slowFloorViewerSeconds;
  double relayInstanceHours;

  /**
   * @param latency the model every served distribution comes from
   */
  ScoreAccumulator(LatencyModel latency) {
    this.latency = latency;
  }

  void unserved(Cause cause, double viewerSeconds) {
    unservedViewerSeconds += viewerSeconds;
    unservedByCause.merge(cause.key, viewerSeconds, Double::sum);
  }

  /**
   * {@code viewerSeconds} served at the latency {@code latency} spreads over them: the share above
   * the SLO is slow, and every viewer-second counts toward the p95 where its latency falls.
   */
  void served(double viewerSeconds, LatencyModel.Distribution latency, int sloMillis) {
    if (viewerSeconds <= 0) {
      return;
    }
    servedViewerSeconds += viewerSeconds;
    slowViewerSeconds += viewerSeconds * latency.tail(sloMillis);
    long fixed = Math.round(latency.fixedMillis() * 10);
    // Below the overload threshold however it rounds: an overloaded distribution has its wait in
    // the fixed part.
    long u =
        Math.min(
            Math.round(LatencyModel.OVERLOAD_UTILIZATION * UTILIZATION_STEPS) - 1,
            Math.round(latency.waitProbability() * UTILIZATION_STEPS));
    servedByDistribution.merge(fixed * UTILIZATION_STEPS + u, viewerSeconds, Double::sum);
  }

  /** The latency 95% of the served viewer-seconds were at or below, in whole ms. */
  double p95LatencyMillis() {
    double total = 0;
    int n = servedByDistribution.size();
    LatencyModel.Distribution[] dists = new LatencyModel.Distribution[n];
    double[] weights = new double[n];
    int i = 0;
    for (Map.Entry<Long, Double> e : servedByDistribution.entrySet()) {
      double fixed = (e.getKey() / UTILIZATION_STEPS) / 10.0;
      double u = (e.getKey() % UTILIZATION_STEPS) / (double) UTILIZATION_STEPS;
      dists[i] = latency.at(fixed, u);
      weights[i++] = e.getValue();
      total += e.getValue();
    }
    if (total == 0) {
      return 0;
    }
    return Math.ceil(LatencyModel.exceeded(dists, weights, LatencyModel.P95_SHARE, 0.01) - 0.01);
  }

  /**
   * The scorecard so far, with {@code botCapacityInstanceHours} counted by whoever could run the
   * policy again without the bots ({@link Simulation.Prepared#scorecard}).
   */
  Scorecard toScorecard(String policy, long scalingActions, double botCapacityInstanceHours) {
    // Sorted, not Map.copyOf: the JSON lists the causes in the same order on every run.
    return new Scorecard(
        policy,
        unservedViewerSeconds,
        servedViewerSeconds,
        slowViewerSeconds,
        costUsd,
        egressUsd,
        scalingActions,
        peakViewers,
        p95LatencyMillis(),
        unservedStreamSeconds,
        unservedServiceViewerSeconds,
        java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unservedByCause)),
        slowFloorViewerSeconds,
        botCapacityInstanceHours,
        degradedStreamSeconds);
  }
}
