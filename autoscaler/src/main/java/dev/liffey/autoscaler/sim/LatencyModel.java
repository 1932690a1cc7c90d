package dev.liffey.autoscaler.sim;

/**
 * Edge latency of a viewer: the market-to-region base, plus any injected penalty, plus queueing
 * delay that grows as the region's relays near full utilization (an M/M/1-like curve), capped
 * when they are overloaded.
 */
public final class LatencyModel {
  /** Queueing delay scale: 4 ms at 50% utilization, 36 ms at 90%, 196 ms at 98%. */
  static final double QUEUE_SCALE_MILLIS = 4.0;
  /** What an overloaded relay adds. */
  static final double OVERLOAD_MILLIS = 400.0;

  private LatencyModel() {}

  public static double queueingMillis(double utilization) {
    if (utilization <= 0) {
      return 0;
    }
    if (utilization >= 0.99) {
      return OVERLOAD_MILLIS;
    }
    return Math.min(OVERLOAD_MILLIS, QUEUE_SCALE_MILLIS * utilization / (1 - utilization));
  }

  public static double latencyMillis(int baseMillis, double penaltyMillis, double utilization) {
    return baseMillis + penaltyMillis + queueingMillis(utilization);
  }
}
