package dev.liffey.edge.packing;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One relay as it announces itself to its region's other relays: where they pass joins to it, how
 * many viewers it holds and how slow their round trips are, and whether it is draining. It holds
 * until {@code until}; after that it is gone (terminated, or its agent no longer writes).
 *
 * @param id the instance id
 * @param address its agent's private address and port
 * @param viewers viewers offered or watching there when it wrote
 * @param latencyP95Millis the p95 of its watching viewers' round-trip times when it wrote; empty
 *     when none had one
 */
public record RelayEntry(
    String id,
    InetSocketAddress address,
    int viewers,
    OptionalDouble latencyP95Millis,
    boolean draining,
    Instant at,
    Instant until) {

  /** Whether it still holds at {@code now} and admits joins. */
  public boolean serving(Instant now) {
    return !draining && now.isBefore(until);
  }
}
