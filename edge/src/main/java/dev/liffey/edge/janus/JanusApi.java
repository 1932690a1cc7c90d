package dev.liffey.edge.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Janus's HTTP API (the plain one viewers would use, on 127.0.0.1) for one purpose: a viewer
 * session on the streaming plugin. One Janus session per viewer, one handle in it; events are read
 * by long-polling the session. Thread-safe; every call is bounded by {@link #CALL_TIMEOUT}.
 */
public final class JanusApi {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final String STREAMING = "janus.plugin.streaming";

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param base the HTTP API's URL, such as {@code http://127.0.0.1:8088/janus}
   */
  public JanusApi(URI base) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** A viewer's place in Janus: its session and the streaming handle in it. */
  public record Viewer(long session, long handle) {}

  /** Creates a session; fails with 472 while Janus does not accept new sessions (draining). */
  public long createSession() {
    return post(base, message("create")).path("data").path("id").asLong();
  }

  public long attachStreaming(long session) {
    ObjectNode m = message("attach").put("plugin", STREAMING);
    return post(sessionUri(session), m).path("data").path("id").asLong();
  }

  /**
   * Asks to watch a mountpoint and returns Janus's SDP offer for the viewer (Janus 1.1 makes the
   * offer whatever the viewer sends).
   */
  public String watch(Viewer v, long mountpoint) {
    ObjectNode body = json.createObjectNode().put("request", "watch").put("id", mountpoint);
    post(handleUri(v), message("message").set("body", body));
    JsonNode event = awaitPluginEvent(v, Instant.now().plus(CALL_TIMEOUT));
    String sdp = event.path("jsep").path("sdp").asText("");
    if (sdp.isEmpty()) {
      throw new JanusError(0, "Janus sent no offer for mountpoint " + mountpoint + ": " + event);
    }
    return sdp;
  }

  /** Gives Janus the viewer's SDP answer; media flows once ICE and DTLS complete. */
  public void start(Viewer v, String answerSdp) {
    ObjectNode jsep = json.createObjectNode().put("type", "answer").put("sdp", answerSdp);
    ObjectNode m = message("message");
    m.set("body", json.createObjectNode().put("request", "start"));
    m.set("jsep", jsep);
    post(handleUri(v), m);
    awaitPluginEvent(v, Instant.now().plus(CALL_TIMEOUT));
    // The answer came whole (WHEP does not trickle here): without this, Janus waits 15 s for more
    // candidates before it calls a dead viewer's ICE failed.
    ObjectNode done = message("trickle");
    done.set("candidate", json.createObjectNode().put("completed", true));
    post(handleUri(v), done);
  }

  /** Keeps a session past Janus's session timeout; 458 when Janus no longer has it. */
  public void keepalive(long session) {
    post(sessionUri(session), message("keepalive"));
  }

  /** Ends a session and its handle (the viewer's PeerConnection is hung up). */
  public void destroy(long session) {
    post(sessionUri(session), message("destroy"));
  }

  /**
   * The streaming plugin's own count of a mountpoint's viewers ({@code info}, which needs the
   * mountpoint's secret when it has one), through a short-lived session of the agent's.
   */
  public int mountpointViewers(long mountpoint, Optional<String> secret) {
    ObjectNode body = json.createObjectNode().put("request", "info").put("id", mountpoint);
    secret.ifPresent(x -> body.put("secret", x));
    return plugin(body).path("info").path("viewers").asInt();
  }

  /** A mountpoint the agent made for a transcoder's rendition: Janus's id and its RTP port. */
  public record RtpMountpoint(long id, int port, String secret) {}

  /**
   * Makes an RTP mountpoint for one H.264 rendition (payload 96), on a UDP port Janus picks from
   * its streaming plugin's {@code rtp_port_range}; not permanent (gone with Janus). Its {@code
   * secret} guards its info and its destruction; {@code fmtp} is what Janus offers viewers (the
   * rendition's profile and level).
   */
  public RtpMountpoint createRtpMountpoint(String name, String secret, String fmtp) {
    ObjectNode video =
        json.createObjectNode()
            .put("type", "video")
            .put("mid", "v")
            .put("port", 0)
            .put("pt", 96)
            .put("codec", "h264")
            .put("fmtp", fmtp);
    ObjectNode body =
        json.createObjectNode()
            .put("request", "create")
            .put("type", "rtp")
            .put("name", name)
            .put("description", name)
            .put("permanent", false)
            .put("secret", secret);
    body.putArray("media").add(video);
    JsonNode data = plugin(body);
    JsonNode stream = data.path("stream");
    int port = stream.path("ports").path(0).path("port").asInt(0);
    if (!"created".equals(data.path("streaming").asText()) || port == 0) {
      throw new JanusError(0, "Janus made no RTP mountpoint for " + name + ": " + data);
    }
    return new RtpMountpoint(stream.path("id").asLong(), port, secret);
  }

  /** Removes a mountpoint the agent made; its viewers' PeerConnections are hung up. */
  public void destroyMountpoint(RtpMountpoint m) {
    plugin(
        json.createObjectNode()
            .put("request", "destroy")
            .put("id", m.id())
            .put("secret", m.secret()));
  }

  /**
   * Moves a watching viewer to another mountpoint of the same codec without a new negotiation (the
   * streaming plugin's {@code switch}): a ladder that dropped its rung, or a relay near its limits.
   */
  public void switchMountpoint(Viewer v, long mountpoint) {
    ObjectNode body = json.createObjectNode().put("request", "switch").put("id", mountpoint);
    post(handleUri(v), message("message").set("body", body));
  }

  /** A synchronous streaming-plugin request through a short-lived session of the agent's. */
  private JsonNode plugin(ObjectNode body) {
    long session = createSession();
    try {
      long handle = attachStreaming(session);
      JsonNode r =
          post(handleUri(new Viewer(session, handle)), message("message").set("body", body));
      JsonNode data = r.path("plugindata").path("data");
      if (data.has("error")) {
        throw new JanusError(data.path("error_code").asInt(), data.path("error").asText());
      }
      return data;
    } finally {
      destroy(session);
    }
  }

  private JsonNode awaitPluginEvent(Viewer v, Instant deadline) {
    while (Instant.now().isBefore(deadline)) {
      JsonNode e = get(URI.create(sessionUri(v.session()) + "?maxev=1"));
      JsonNode event = e.isArray() ? (e.size() == 0 ? null : e.get(0)) : e;
      if (event == null || !"event".equals(event.path("janus").asText())) {
        continue; // a keepalive after Janus's long-poll timeout, or another kind of event
      }
      JsonNode data = event.path("plugindata").path("data");
      if (data.has("error")) {
        throw new JanusError(data.path("error_code").asInt(), data.path("error").asText());
      }
      return event;
    }
    throw new JanusError(0, "Janus sent no event within " + CALL_TIMEOUT.toSeconds() + " s");
  }

  private ObjectNode message(String janus) {
    return json.createObjectNode()
        .put("janus", janus)
        .put("transaction", UUID.randomUUID().toString());
  }

  private URI sessionUri(long session) {
    return URI.create(base + "/" + session);
  }

  private URI handleUri(Viewer v) {
    return URI.create(base + "/" + v.session() + "/" + v.handle());
  }

  private JsonNode post(URI uri, ObjectNode body) {
    try {
      return call(
          HttpRequest.newBuilder(uri)
              .timeout(CALL_TIMEOUT)
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
              .build());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A long-poll for a session's events, which Janus holds up to 30 s when nothing happens. */
  private JsonNode get(URI uri) {
    return call(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).GET().build());
  }

  private JsonNode call(HttpRequest request) {
    try {
      return answer(request.uri(), http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new JanusError("Janus did not answer at " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JanusError("interrupted calling Janus at " + request.uri(), e);
    }
  }

  private JsonNode answer(URI uri, HttpResponse<String> r) throws IOException {
    JsonNode node = json.readTree(r.body());
    if (node == null && r.statusCode() == 404) {
      // Janus's answer to a long-poll on a session it no longer has.
      throw new JanusError(JanusError.NO_SUCH_SESSION, "Janus has no session at " + uri);
    }
    if (node == null) {
      throw new JanusError(
          0, "Janus answered " + uri + " with HTTP " + r.statusCode() + " and no body");
    }
    if ("error".equals(node.path("janus").asText())) {
      JsonNode e = node.path("error");
      throw new JanusError(e.path("code").asInt(), e.path("reason").asText());
    }
    return node;
  }
}
