package dev.liffey.edge.viewers;

import java.time.Duration;
import java.util.Optional;

/** What a viewer's WHEP POST gets: the relay's offer, or a refusal with its HTTP status. */
public sealed interface Join {
  /**
   * @param id the viewer's resource id (its WHEP Location)
   * @param offerSdp Janus's SDP offer
   */
  record Offered(String id, String offerSdp) implements Join {}

  /**
   * @param status 401, 403, 404, 429, 502 or 503
   * @param why one line for the viewer's client and the log
   * @param retryAfter for 503 and 429: when trying again may work
   */
  record Refused(int status, String why, Optional<Duration> retryAfter) implements Join {}
}
