package dev.liffey.edge.viewers;

import dev.liffey.edge.janus.JanusApi;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One admitted viewer on this relay: offered an SDP by Janus, then watching once it answered.
 *
 * @param id the opaque id in the viewer's WHEP resource URL
 * @param market the market its token was issued for, which it is counted in
 * @param mountpoint the Janus mountpoint it watches (a rendition, for a transcoder's stream)
 * @param janus its Janus session and streaming handle
 * @param offeredAt when the relay sent its offer (an offer never answered is reclaimed)
 */
public record Viewer(
    String id,
    String market,
    String stream,
    long mountpoint,
    JanusApi.Viewer janus,
    Instant offeredAt,
    boolean watching,
    OptionalDouble rttMillis) {

  Viewer answered() {
    return new Viewer(id, market, stream, mountpoint, janus, offeredAt, true, rttMillis);
  }

  Viewer withRtt(double millis) {
    return new Viewer(
        id, market, stream, mountpoint, janus, offeredAt, watching, OptionalDouble.of(millis));
  }

  Viewer on(long other) {
    return new Viewer(id, market, stream, other, janus, offeredAt, watching, rttMillis);
  }
}
