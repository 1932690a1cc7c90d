package dev.liffey.edge.janus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the agent takes from Janus's event handler (the sample event handler POSTs JSON events, one
 * or an array, to the agent on 127.0.0.1): a viewer's session or PeerConnection ending, and the
 * RTCP round-trip times Janus measures to each viewer.
 */
public final class JanusEvents {
  /** What the agent does with the events it cares about. */
  public interface Listener {
    /** Janus ended a session or its PeerConnection: the viewer is gone. */
    void lost(long session, String why);

    /** Janus measured a round-trip time to the viewer of a session. */
    void rtt(long session, double millis);
  }

  private JanusEvents() {}

  /** Hands every event in a POST body (an object or an array of them) to the listener. */
  public static void dispatch(JsonNode body, Listener listener) {
    if (body.isArray()) {
      body.forEach(e -> one(e, listener));
    } else {
      one(body, listener);
    }
  }

  private static void one(JsonNode e, Listener listener) {
    long session = e.path("session_id").asLong(0);
    if (session == 0) {
      return;
    }
    JsonNode event = e.path("event");
    switch (e.path("type").asInt()) {
      case 1 -> { // session: created, destroyed, timeout
        String name = event.path("name").asText();
        if (name.equals("destroyed") || name.equals("timeout")) {
          listener.lost(session, "Janus session " + name);
        }
      }
      case 2 -> { // handle: attached, detached
        if (event.path("name").asText().equals("detached")) {
          listener.lost(session, "Janus handle detached");
        }
      }
      case 16 -> { // WebRTC: ICE, DTLS, the PeerConnection's state
        if (event.path("connection").asText().equals("hangup")) {
          listener.lost(
              session, "PeerConnection hung up (" + event.path("reason").asText("?") + ")");
        } else if (event.path("ice").asText().equals("failed")) {
          listener.lost(session, "ICE failed");
        }
      }
      case 32 -> { // media: periodic RTCP statistics per stream
        JsonNode rtt = event.path("rtt");
        if (rtt.isNumber() && rtt.asDouble() > 0) {
          listener.rtt(session, rtt.asDouble());
        }
      }
      default -> {}
    }
  }
}
