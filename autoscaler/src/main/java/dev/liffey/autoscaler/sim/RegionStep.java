package dev.liffey.autoscaler.sim;

/**
 * One region during one simulated step, as the report charts it: the viewers who wanted to watch
 * there, those of them it could not admit, those admitted to a stream no transcoder carried, the
 * relay capacity in service, and the edge latency of those it served. Viewers are fractional (the
 * simulator's audience is a flow, not a set of people).
 *
 * @param elapsedSeconds seconds since the trace's start, at the step's beginning
 * @param region the region's id, like {@code eu-west-1}
 * @param viewers viewers the routing sent to the region: those connected to its relays, plus those
 *     refused
 * @param unservedViewers of {@code viewers}, those refused a join because its relays in service
 *     were full (they wait and try again); at least 0
 * @param capacity viewers the region's relays in service can hold
 * @param latencyP95Millis edge latency p95 of the viewers connected to the region, in ms; NaN when
 *     it served none
 * @param untranscodedViewers of the viewers connected, those whose stream no transcoder in service
 *     carried (a GPU shortage, transcoders still booting): nothing to watch; at least 0
 */
public record RegionStep(
    double elapsedSeconds,
    String region,
    double viewers,
    double unservedViewers,
    double capacity,
    double latencyP95Millis,
    double untranscodedViewers) {

  /** A step in which every stream was transcoded. */
  public RegionStep(
      double elapsedSeconds,
      String region,
      double viewers,
      double unservedViewers,
      double capacity,
      double latencyP95Millis) {
    this(elapsedSeconds, region, viewers, unservedViewers, capacity, latencyP95Millis, 0);
  }

  /** Viewers connected to the region's relays: those who wanted it and were admitted. */
  public double servedViewers() {
    return viewers - unservedViewers;
  }

  /**
   * Viewers who could not watch: refused a join, or connected to a stream no transcoder carried.
   */
  public double waitingViewers() {
    return unservedViewers + untranscodedViewers;
  }
}
