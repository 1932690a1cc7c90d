package dev.liffey.autoscaler.aws;

/**
 * The metrics contract with the relays, transcoders and latency probes. Each region publishes, for
 * the viewers it serves, one datapoint per series every 10 s (high resolution) to CloudWatch in that
 * region, namespace {@value #NAMESPACE}.
 */
public final class EdgeMetrics {
  public static final String NAMESPACE = "Liffey/Edge";
  /** Count; dimensions Market, Region: concurrent viewers of a market on a region's relays. */
  public static final String CONCURRENT_VIEWERS = "ConcurrentViewers";
  /** Milliseconds; dimensions Market, Region: edge latency p95 from the market to the region. */
  public static final String EDGE_LATENCY_P95 = "EdgeLatencyP95";
  /** Count; dimension Region: live ingest streams. */
  public static final String LIVE_STREAMS = "LiveStreams";
  public static final String MARKET = "Market";
  public static final String REGION = "Region";

  private EdgeMetrics() {}
}
