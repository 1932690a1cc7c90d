package dev.liffey.autoscaler.aws;

/**
 * The metrics contract with the relays, transcoders and latency probes. Each region publishes, for
 * the viewers it serves, one datapoint per series every 10 s (high resolution) to CloudWatch in
 * that region, namespace {@value #NAMESPACE}.
 */
public final class EdgeMetrics {
  public static final String NAMESPACE = "Liffey/Edge";

  /**
   * Count; dimensions Market, Region: concurrent viewers of a market on a region's relays. Every
   * relay publishes its own count into the series, stamped with the start of its 10 s period: a
   * reader takes the Sum. Each relay also publishes its total with dimensions Region and {@value
   * #INSTANCE_ID}, to tell the emptiest relays apart.
   */
  public static final String CONCURRENT_VIEWERS = "ConcurrentViewers";

  /**
   * Milliseconds; dimensions Market, Region: round trips from the market's viewers to the region.
   * Relays publish their viewers' RTCP round-trip times as value/count arrays and probes their
   * measurements; a reader asks CloudWatch for the p95 across all of them.
   */
  public static final String EDGE_LATENCY_P95 = "EdgeLatencyP95";

  /**
   * Milliseconds; dimensions Market, Region: the same round trips, published only by the relays
   * taking joins now (on a packing edge those filled no further than the pack target, or every
   * relay with room once all are past it; on one that spreads, every relay in service with room):
   * what a viewer joining there would get, without the viewers who stay on relays a crowd filled
   * past the target. A reader asks for the p95. Absent where no relay taking joins holds a viewer.
   */
  public static final String JOIN_LATENCY_P95 = "JoinLatencyP95";

  /**
   * Count; dimensions Market, Region: of the market's viewers watching on a region's relays, those
   * whose player subscribed to the relays' {@code reconnect} event (WHEP's server-sent events):
   * taken out, a relay hands them over, and they rejoin elsewhere within seconds. Every relay
   * publishes every market it serves, zero included (0 with the events off); a reader takes the
   * Sum. Absent from an edge that does not say: then nobody is counted on to follow.
   */
  public static final String FOLLOWING_RECONNECT = "ViewersFollowingReconnect";

  /** Count; dimension Region: live ingest streams. */
  public static final String LIVE_STREAMS = "LiveStreams";

  /**
   * Count; dimensions Market, Region: distinct clients who tried to join in the period, admitted or
   * not, bots included. Published only where someone tried: absent is none.
   */
  public static final String JOIN_ATTEMPTS = "JoinAttempts";

  /**
   * Count; dimensions Market, Region, Reason: distinct clients refused a join in the period. Reason
   * {@value #FULL} (no free relay slot) is the rest of a crowd the relays could not hold: demand.
   * {@value #UNVERIFIED} (a token that does not verify: forged, expired, for another stream) and
   * {@value #RATE_LIMITED} (a client joining too often) are refused before a slot is looked for,
   * and are not demand. Absent is none.
   */
  public static final String REJECTED_JOINS = "RejectedJoins";

  /**
   * Count; dimension Region: published only by relays that pack their joins ({@code --pack-to}),
   * each 1 while it is in service and holds any viewer, else 0; a reader takes the Sum, how many
   * relays a scale-in leaves alone. Absent from an edge that spreads its joins.
   */
  public static final String RELAYS_HOLDING_VIEWERS = "RelaysHoldingViewers";

  /**
   * Bytes; namespace {@value #EC2_NAMESPACE}, dimension {@value #AUTO_SCALING_GROUP}: what the
   * relay group's instances sent, published by EC2 itself each minute (detailed monitoring, which
   * the CDK app turns on), stamped with the minute's start; a reader takes the Sum. Not the
   * agents': it is there when none of them can publish.
   */
  public static final String NETWORK_OUT = "NetworkOut";

  public static final String EC2_NAMESPACE = "AWS/EC2";
  public static final String AUTO_SCALING_GROUP = "AutoScalingGroupName";

  public static final String REASON = "Reason";
  public static final String FULL = "full";
  public static final String UNVERIFIED = "unverified";
  public static final String RATE_LIMITED = "rate-limited";
  public static final String MARKET = "Market";
  public static final String REGION = "Region";
  public static final String INSTANCE_ID = "InstanceId";

  private EdgeMetrics() {}
}
