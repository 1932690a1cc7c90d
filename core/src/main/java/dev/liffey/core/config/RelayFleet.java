package dev.liffey.core.config;

import java.time.Duration;

/**
 * The WebRTC media relays (SFUs) of a region.
 *
 * @param sizing the group's type, bounds, warm pool, boot times and prices
 * @param viewersPerInstance concurrent viewers one relay serves at full utilization
 * @param drainTimeout how long a terminating relay may keep its viewers while they leave: whoever
 *     is still watching at its end is cut off
 * @param reconnectingPlayers the share of viewers whose players follow the reconnect event a relay
 *     taken out sends them (WHEP's server-sent events): they join again by the weights in force,
 *     keeping the old session until the new one plays; the rest watch on until they leave. The
 *     simulator's world: the autoscaler plans on what the relays count instead ({@code
 *     ViewersFollowingReconnect})
 */
public record RelayFleet(
    InstanceSizing sizing,
    int viewersPerInstance,
    Duration drainTimeout,
    double reconnectingPlayers) {

  /**
   * A viewer's session stays on its relay, and a load balancer spreads joins over every relay, so a
   * relay taken out holds its share of the audience: a drain as long as a match with extra time
   * lets nearly all of them leave on their own.
   */
  public static final Duration DEFAULT_DRAIN = Duration.ofHours(2);

  /** Whether {@code share} can be a share of reconnecting players: 0 to 1. */
  public static boolean takesReconnecting(double share) {
    return share >= 0 && share <= 1;
  }

  /**
   * The viewers the edge fills a relay to before the next takes any (the agent's {@code
   * --pack-to}): what a relay holds at the autoscaler's target utilization, which is what the
   * autoscaler plans relays for.
   */
  public int packTo(double targetUtilization) {
    return Math.max(1, (int) Math.floor(viewersPerInstance * targetUtilization));
  }
}
