package dev.liffey.edge.whep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHEP's server-sent events extension (IETF WISH), for one event: {@code reconnect} (proposed at
 * IETF 120). A relay taken out of service asks its viewers to reconnect, so that DNS and the load
 * balancer bring them to another relay and this one empties in seconds instead of at the drain
 * bound; the player makes the new session before it deletes the old one, which this relay serves
 * until then. A player that ignores the event watches on until it leaves or the drain bound.
 *
 * <p>The shapes: a viewer's 201 carries a Link to {@code /whep/{stream}/{viewer}/events}; a POST
 * there of a JSON array of event names (names this relay never sends are ignored) answers 201 with
 * the Location {@code /whep/{stream}/{viewer}/events/{subscription}}; a GET there is a {@code
 * text/event-stream}, kept open with a comment every {@link #KEEP_ALIVE_EVERY} so that proxies do
 * not close it, and closed when the viewer leaves (DELETE, or Janus loses it: seen at the next
 * keep-alive) or the relay stops. The event is {@code event: reconnect} with {@code data:
 * {"url":"/whep/{stream}"}}, absolute when the relay knows its public URL. One subscription per
 * viewer: subscribing again replaces it (and ends its stream), so they are bounded by the viewers.
 *
 * <p>The relay that holds a viewer serves its event streams: a subscribing POST or a stream's GET
 * that the load balancer brings to another relay is passed to it from there, as a PATCH is (the
 * stream through {@link PassedStreams}, as it comes).
 *
 * <p>Thread-safe. A stream is written under its subscription's lock, on the thread that opens it,
 * the drain's thread or the keep-alive thread. Writes are tens of bytes: a viewer that stops
 * reading would fill its socket's buffers only after days of keep-alives, so none blocks.
 */
public final class SessionEvents implements AutoCloseable {
  /** What a WHEP Link header names the events URL by. */
  static final String REL = "urn:ietf:params:whep:ext:core:server-sent-events";

  static final String RECONNECT = "reconnect";

  /** Often enough that proxies and load balancers (60 s idle by default) keep a stream open. */
  public static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(15);

  private static final int MAX_BODY_BYTES = 4096;
  private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

  private final Predicate<String> holds;
  private final Optional<URI> publicUrl;
  private final Duration keepAliveEvery;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Subscription> byViewer = new ConcurrentHashMap<>();
  private final ScheduledExecutorService keepAlives =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "whep-events");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean reconnecting;

  /** A viewer's subscription and its open stream, if any: guarded by itself. */
  private static final class Subscription {
    final String id = UUID.randomUUID().toString();
    final String viewer;
    final String stream;
    final boolean reconnect;
    HttpExchange open;
    boolean asked;
    boolean ended;

    Subscription(String viewer, String stream, boolean reconnect) {
      this.viewer = viewer;
      this.stream = stream;
      this.reconnect = reconnect;
    }
  }

  /**
   * @param holds whether this relay holds a viewer (by WHEP id): a gone viewer's stream ends
   * @param publicUrl where viewers reach WHEP through DNS ({@code https://edge.example}, {@code
   *     /whep/{stream}} appended), which a reconnect event names; empty to name the path alone,
   *     which the player resolves against the URL it joined at
   * @param keepAliveEvery how often each open stream is sent a comment
   */
  public SessionEvents(Predicate<String> holds, Optional<URI> publicUrl, Duration keepAliveEvery) {
    this.holds = holds;
    this.publicUrl = publicUrl;
    this.keepAliveEvery = keepAliveEvery;
  }

  public void start() {
    keepAlives.scheduleWithFixedDelay(
        this::keepAlive,
        keepAliveEvery.toMillis(),
        keepAliveEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The Link header value a new viewer's 201 carries. */
  String link(String stream, String viewer) {
    return "<"
        + eventsPath(stream, viewer)
        + ">; rel=\""
        + REL
        + "\"; events=\""
        + RECONNECT
        + "\"";
  }

  /** The URL a reconnect event sends the viewers of {@code stream} to: where they first joined. */
  public String reconnectUrl(String stream) {
    String path = "/whep/" + stream;
    return publicUrl.map(u -> u.toString().replaceAll("/+$", "") + path).orElse(path);
  }

  /** A POST to a viewer's events URL: the event names it wants, as a JSON array. */
  void subscribe(HttpExchange x, String stream, String viewer) throws IOException {
    if (!holds.test(viewer)) {
      WhepServer.send(x, 404, "no such viewer on this relay\n");
      return;
    }
    byte[] body;
    try (InputStream in = x.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      WhepServer.send(x, 413, "a list of event names of at most " + MAX_BODY_BYTES + " bytes\n");
      return;
    }
    JsonNode names;
    try {
      names = json.readTree(body);
    } catch (JsonProcessingException e) {
      WhepServer.send(
          x,
          400,
          "the body is not JSON ("
              + e.getOriginalMessage()
              + "): POST a JSON array of event names, like [\"reconnect\"]\n");
      return;
    }
    if (names == null || !names.isArray()) {
      WhepServer.send(
          x,
          400,
          "the body is "
              + (names == null || names.isMissingNode() ? "empty" : "a JSON " + kind(names))
              + ", not an array: POST a JSON array of event names, like [\"reconnect\"]\n");
      return;
    }
    boolean reconnect = false;
    for (int i = 0; i < names.size(); i++) {
      JsonNode name = names.get(i);
      if (!name.isTextual()) {
        WhepServer.send(
            x,
            400,
            "element "
                + i
                + " of the array is a JSON "
                + kind(name)
                + ", not an event name: POST an array of strings, like [\"reconnect\"]\n");
        return;
      }
      reconnect |= name.asText().equals(RECONNECT);
    }
    Subscription s = new Subscription(viewer, stream, reconnect);
    Subscription was = byViewer.put(viewer, s);
    if (was != null) {
      end(was);
    }
    x.getResponseHeaders().set("Location", eventsPath(stream, viewer) + "/" + s.id);
    WhepServer.send(x, 201, "");
  }

  /**
   * A GET of a subscription's event stream: true when it is kept open (the caller must not close
   * the exchange), false when it was answered (404).
   */
  boolean open(HttpExchange x, String viewer, String subscription) throws IOException {
    Subscription s = byViewer.get(viewer);
    if (s == null || !s.id.equals(subscription) || !holds.test(viewer)) {
      WhepServer.send(x, 404, "no such event stream on this relay\n");
      return false;
    }
    synchronized (s) {
      if (s.ended) {
        WhepServer.send(x, 404, "no such event stream on this relay\n");
        return false;
      }
      if (s.open != null) {
        closeQuietly(s.open); // one stream a subscription: the player opened it again
      }
      x.getResponseHeaders().set("Content-Type", "text/event-stream");
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.sendResponseHeaders(200, 0);
      s.open = x;
      if (reconnecting && s.reconnect && !s.asked) {
        askToReconnect(s); // opened after the drain started
      }
    }
    return true;
  }

  /**
   * The viewers this relay holds whose subscription includes {@code reconnect}: those a drain here
   * asks to move. Only the holding relay keeps a subscription (another passes the POST on), so a
   * viewer counts on one relay; a viewer Janus lost stops counting at once, before the keep-alive
   * ends its subscription. A snapshot.
   */
  public Set<String> followingReconnect() {
    Set<String> out = new HashSet<>();
    for (Subscription s : byViewer.values()) {
      if (s.reconnect && holds.test(s.viewer)) {
        out.add(s.viewer);
      }
    }
    return out;
  }

  /** The viewer left this relay: its subscription and stream end. */
  void ended(String viewer) {
    Subscription s = byViewer.remove(viewer);
    if (s != null) {
      end(s);
    }
  }

  /**
   * Told by the drain: {@code true} when it starts, to send every open stream subscribed to it a
   * {@code reconnect} event (and every stream opened later while it lasts); {@code false} when the
   * relay is back in service.
   */
  public void draining(boolean leaving) {
    reconnecting = leaving;
    int asked = 0;
    for (Subscription s : byViewer.values()) {
      synchronized (s) {
        if (!leaving) {
          s.asked = false;
        } else if (s.open != null && s.reconnect && !s.asked && askToReconnect(s)) {
          asked++;
        }
      }
    }
    if (leaving) {
      log.info(
          "draining: asked {} viewers to reconnect elsewhere (a WHEP reconnect event on their event"
              + " streams; the others watch on until they leave or the drain bound)",
          asked);
    }
  }

  /** Sends the reconnect event; false when the stream is gone (it is then closed). */
  private boolean askToReconnect(Subscription s) {
    String data = json.createObjectNode().put("url", reconnectUrl(s.stream)).toString();
    s.asked = write(s, "event: " + RECONNECT + "\ndata: " + data + "\n\n");
    return s.asked;
  }

  /** A comment on every open stream; the streams of viewers gone from this relay end. */
  private void keepAlive() {
    try {
      for (Subscription s : byViewer.values()) {
        if (!holds.test(s.viewer)) {
          byViewer.remove(s.viewer, s);
          end(s);
          continue;
        }
        synchronized (s) {
          if (s.open != null) {
            write(s, ": keep-alive\n\n");
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("keeping the viewers' event streams open failed; trying again next time", e);
    }
  }

  /** Writes to the open stream, under the subscription's lock; closes it if the viewer has gone. */
  private static boolean write(Subscription s, String text) {
    try {
      OutputStream out = s.open.getResponseBody();
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException e) {
      closeQuietly(s.open); // the player closed it; it may open it again
      s.open = null;
      return false;
    }
  }

  private static void end(Subscription s) {
    synchronized (s) {
      s.ended = true;
      if (s.open != null) {
        closeQuietly(s.open);
        s.open = null;
      }
    }
  }

  private static void closeQuietly(HttpExchange x) {
    try {
      x.close();
    } catch (RuntimeException e) {
      // The connection is already gone: nothing is left to close.
    }
  }

  private static String eventsPath(String stream, String viewer) {
    return "/whep/" + stream + "/" + viewer + "/events";
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Ends every stream (the relay stops); call before the HTTP server stops. */
  @Override
  public void close() {
    keepAlives.shutdownNow();
    byViewer.values().forEach(SessionEvents::end);
    byViewer.clear();
  }
}
