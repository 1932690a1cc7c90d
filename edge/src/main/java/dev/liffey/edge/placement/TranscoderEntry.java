package dev.liffey.edge.placement;

import java.net.URI;
import java.time.Instant;

/**
 * One transcoder as it announces itself to its region: where its API is, its GPU type, how many
 * more streams it can take now under the region's ladder plan, and whether it is draining. It holds
 * until {@code until}; after that it is gone (stopped, or its agent no longer writes).
 *
 * @param id the instance id
 * @param api its agent's API ({@code http://10.0.3.9:7090})
 * @param instanceType its GPU type, which placement prefers in the configured order
 * @param streams the live streams on it
 * @param room how many more streams it takes now (0 when full or draining)
 * @param draining whether its group is taking it out of service
 */
public record TranscoderEntry(
    String id,
    URI api,
    String instanceType,
    int streams,
    int room,
    boolean draining,
    Instant at,
    Instant until) {

  /** Whether it still holds at {@code now} and takes another stream. */
  public boolean takes(Instant now) {
    return !draining && room > 0 && now.isBefore(until);
  }
}
