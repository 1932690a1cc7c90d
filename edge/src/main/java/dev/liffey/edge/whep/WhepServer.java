package dev.liffey.edge.whep;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.liffey.edge.viewers.Join;
import dev.liffey.edge.viewers.ViewerSessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP face: WHEP in the form where the relay offers (POST {@code /whep/{stream}} with
 * a bearer token and an empty body: 201, the offer and a Location; PATCH the answer there: 204;
 * DELETE it to leave: 200), WHEP's server-sent events for a relay's viewers when it has {@link
 * SessionEvents} (a Link on the 201; {@code .../events} under a viewer's resource), CORS
 * preflights, and {@code GET /health} (503 while draining, so the load balancer sends nobody new).
 */
public final class WhepServer implements AutoCloseable {
  static final String SDP = "application/sdp";

  /** Marks a request one relay passed to another. */
  static final String PASSED = "X-Liffey-Passed-By-Relay";

  /** The viewer's own address on a join one relay passed to another, for its rate limits. */
  static final String VIEWER_ADDRESS = "X-Liffey-Viewer-Address";

  private static final java.util.regex.Pattern IP_LITERAL =
      java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private static final int MAX_SDP_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(WhepServer.class);

  private final HttpServer server;
  private final ExecutorService threads;
  private final ViewerSessions sessions;
  private final Supplier<Health> health;
  private final Optional<TurnCredentials> turn;
  private final JoinRouter router;
  private final Optional<SessionEvents> events;
  private final HttpClient peers =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final PassedStreams passedStreams = new PassedStreams(peers);

  /** What {@code /health} says: serving or draining (503), and the body it answers with. */
  public record Health(boolean draining, String json) {}

  /**
   * @param threads requests handled at once (each may wait on Janus for up to 10 s)
   * @param turn TURN servers each admitted viewer is given credentials for, if any
   * @param router where a new viewer's join goes: here, or another relay ({@link JoinRouter#HERE}
   *     to admit every join here)
   */
  public WhepServer(
      InetSocketAddress listen,
      int threads,
      ViewerSessions sessions,
      Supplier<Health> health,
      Optional<TurnCredentials> turn,
      JoinRouter router)
      throws IOException {
    this(listen, threads, sessions, health, turn, router, Optional.empty());
  }

  /**
   * As above, offering each viewer {@code events} (a relay that asks its viewers to reconnect
   * elsewhere when it drains), which this server starts and closes.
   */
  public WhepServer(
      InetSocketAddress listen,
      int threads,
      ViewerSessions sessions,
      Supplier<Health> health,
      Optional<TurnCredentials> turn,
      JoinRouter router,
      Optional<SessionEvents> events)
      throws IOException {
    this.sessions = sessions;
    this.events = events;
    this.health = health;
    this.turn = turn;
    this.router = router;
    this.server = HttpServer.create(listen, 256);
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "whep");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(this.threads);
    server.createContext("/whep/", this::whep);
    server.createContext("/health", this::health);
  }

  /** Another route on the same listener (the agent's Janus event sink). */
  public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  public void start() {
    events.ifPresent(SessionEvents::start);
    server.start();
  }

  /** The address bound (the port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void health(HttpExchange x) throws IOException {
    try (x) {
      Health h = health.get();
      x.getResponseHeaders().set("Content-Type", "application/json");
      send(x, h.draining() ? 503 : 200, h.json());
    }
  }

  private void whep(HttpExchange x) throws IOException {
    // Closed after a failure is answered (a try-with-resources would close it before its catch),
    // unless it is an event stream, kept open.
    boolean open = false;
    try {
      open = answer(x);
    } finally {
      if (!open) {
        x.close();
      }
    }
  }

  /** Answers a WHEP request: true when it is an event stream left open. */
  private boolean answer(HttpExchange x) throws IOException {
    try {
      cors(x.getResponseHeaders());
      String[] parts = x.getRequestURI().getPath().substring("/whep/".length()).split("/", -1);
      String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
      if (parts.length == 1 && !parts[0].isEmpty()) {
        switch (method) {
          case "OPTIONS" -> preflight(x, "POST, OPTIONS");
          case "POST" -> post(x, parts[0]);
          default -> notAllowed(x, "POST, OPTIONS");
        }
      } else if (parts.length == 2 && !parts[1].isEmpty()) {
        Optional<InetSocketAddress> owner = sessions.elsewhere(parts[1]);
        if (owner.isPresent() && !method.equals("OPTIONS")) {
          passOn(x, owner.get());
          return false;
        }
        switch (method) {
          case "OPTIONS" -> preflight(x, "PATCH, DELETE, OPTIONS");
          case "PATCH" -> patch(x, parts[1]);
          case "DELETE" -> delete(x, parts[1]);
          default -> notAllowed(x, "PATCH, DELETE, OPTIONS");
        }
      } else if (events.isPresent()
          && (parts.length == 3 || parts.length == 4)
          && !parts[1].isEmpty()
          && parts[2].equals("events")) {
        return events(x, method, parts, events.get());
      } else {
        send(x, 404, "not a WHEP resource: /whep/{stream} or /whep/{stream}/{viewer}\n");
      }
    } catch (RuntimeException e) {
      log.error("WHEP request {} {} failed", x.getRequestMethod(), x.getRequestURI(), e);
      send(x, 500, "the relay failed: " + e.getMessage() + "\n");
    }
    return false;
  }

  /**
   * A viewer's events: subscribing (POST {@code /whep/{stream}/{viewer}/events}) or its stream (GET
   * {@code .../events/{subscription}}), each passed to the relay holding the viewer as a PATCH is
   * (a stream as it comes). True when a stream is left open.
   */
  private boolean events(HttpExchange x, String method, String[] parts, SessionEvents events)
      throws IOException {
    Optional<InetSocketAddress> owner = sessions.elsewhere(parts[1]);
    if (parts.length == 3) {
      if (owner.isPresent() && !method.equals("OPTIONS")) {
        passOn(x, owner.get());
        return false;
      }
      switch (method) {
        case "OPTIONS" -> preflight(x, "POST, OPTIONS", "application/json");
        case "POST" -> events.subscribe(x, parts[0], parts[1]);
        default -> notAllowed(x, "POST, OPTIONS");
      }
      return false;
    }
    if (parts[3].isEmpty() || !(method.equals("GET") || method.equals("OPTIONS"))) {
      notAllowed(x, "GET, OPTIONS");
      return false;
    }
    if (method.equals("OPTIONS")) {
      preflight(x, "GET, OPTIONS");
      return false;
    }
    if (owner.isPresent()) {
      if (x.getRequestHeaders().containsKey(PASSED)) {
        send(x, 404, "no such viewer on this relay\n");
        return false;
      }
      passedStreams.pass(x, passed(x, owner.get()).GET().build());
      return true;
    }
    return events.open(x, parts[1], parts[3]);
  }

  private void post(HttpExchange x, String stream) throws IOException {
    String body = readBody(x);
    if (body == null) {
      send(x, 413, "an SDP larger than " + MAX_SDP_BYTES + " bytes\n");
      return;
    }
    if (!body.isBlank()) {
      // Janus 1.1 answers a viewer's offer with an offer of its own; say so rather than mislead.
      send(
          x,
          406,
          "this relay makes the offer: POST an empty body, then PATCH your SDP answer to the"
              + " Location\n");
      return;
    }
    if (!x.getRequestHeaders().containsKey(PASSED) && packed(x)) {
      return;
    }
    String auth = x.getRequestHeaders().getFirst("Authorization");
    String token =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim()
            : "";
    Join j = sessions.join(viewerAddress(x), token, stream);
    if (j instanceof Join.Offered o) {
      Headers h = x.getResponseHeaders();
      h.set("Content-Type", SDP);
      h.set("Location", "/whep/" + stream + "/" + o.id());
      turn.ifPresent(
          t -> t.linkHeaders(o.id(), java.time.Instant.now()).forEach(l -> h.add("Link", l)));
      events.ifPresent(e -> h.add("Link", e.link(stream, o.id())));
      send(x, 201, o.offerSdp());
    } else {
      Join.Refused r = (Join.Refused) j;
      if (r.status() == 401) {
        x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      }
      r.retryAfter()
          .ifPresent(
              d ->
                  x.getResponseHeaders()
                      .set("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
      send(x, r.status(), r.why() + "\n");
    }
  }

  private void delete(HttpExchange x, String id) throws IOException {
    boolean left = sessions.leave(id);
    events.ifPresent(e -> e.ended(id));
    send(x, left ? 200 : 404, "");
  }

  private void patch(HttpExchange x, String id) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(SDP)) {
      send(x, 415, "PATCH the SDP answer as " + SDP + "\n");
      return;
    }
    String body = readBody(x);
    if (body == null || body.isBlank()) {
      send(x, 400, "an SDP answer of at most " + MAX_SDP_BYTES + " bytes is required\n");
      return;
    }
    send(x, sessions.answer(id, body) ? 204 : 404, "");
  }

  /**
   * A viewer's PATCH or DELETE that the load balancer brought to this relay, passed to the relay
   * holding the viewer (once: a passed request is never passed again).
   */
  private void passOn(HttpExchange x, InetSocketAddress owner) throws IOException {
    if (x.getRequestHeaders().containsKey(PASSED)) {
      send(x, 404, "no such viewer on this relay\n");
      return;
    }
    byte[] body = x.getRequestBody().readNBytes(MAX_SDP_BYTES + 1);
    try {
      answerWith(x, forward(x, owner, body));
    } catch (IOException e) {
      send(x, 502, "the relay holding this viewer did not answer: " + e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(x, 503, "");
    }
  }

  /**
   * Passes a new viewer's join to the relay {@link #router} picks, and answers with what it
   * answered. False, to admit the viewer here after all, when it picks this relay, or the relay
   * picked does not answer or cannot take the viewer (full, draining, its SFU failed): packing
   * never costs a viewer a join that this relay could have given.
   */
  private boolean packed(HttpExchange x) throws IOException {
    Optional<JoinRouter.Peer> peer = router.passTo();
    if (peer.isEmpty()) {
      return false;
    }
    try {
      HttpResponse<String> r = forward(x, peer.get().address(), new byte[0]);
      router.answered(peer.get(), r.statusCode());
      if (r.statusCode() >= 500) {
        log.info(
            "relay {} did not take a join passed to it ({}); admitting it here",
            peer.get().id(),
            r.statusCode());
        return false;
      }
      answerWith(x, r);
      return true;
    } catch (IOException e) {
      log.warn(
          "relay {} at {} did not answer a join passed to it ({}); admitting it here",
          peer.get().id(),
          peer.get().address(),
          e.toString());
      router.answered(peer.get(), 0);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      router.answered(peer.get(), 0);
      return false;
    }
  }

  /** The request, sent on to the relay at {@code to}, marked as passed (never passed again). */
  private HttpResponse<String> forward(HttpExchange x, InetSocketAddress to, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        passed(x, to)
            .timeout(Duration.ofSeconds(10))
            .method(x.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    return peers.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The request's path at the relay {@code to}, marked as passed, with the headers it keeps. */
  private static HttpRequest.Builder passed(HttpExchange x, InetSocketAddress to) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + to.getAddress().getHostAddress()
                        + ":"
                        + to.getPort()
                        + x.getRequestURI().getRawPath()))
            .header(PASSED, "1")
            .header(VIEWER_ADDRESS, x.getRemoteAddress().getAddress().getHostAddress());
    for (String h : List.of("Content-Type", "Authorization")) {
      String v = x.getRequestHeaders().getFirst(h);
      if (v != null) {
        b.header(h, v);
      }
    }
    return b;
  }

  /** Answers the viewer with another relay's answer, the headers WHEP gives meaning to kept. */
  private static void answerWith(HttpExchange x, HttpResponse<String> r) throws IOException {
    for (String h :
        List.of("Content-Type", "Location", "Link", "Retry-After", "WWW-Authenticate")) {
      List<String> values = r.headers().allValues(h);
      if (!values.isEmpty()) {
        x.getResponseHeaders().put(h, values);
      }
    }
    send(x, r.statusCode(), r.body());
  }

  /**
   * The viewer's address: the peer's own, or on a join another relay of the region passed here, the
   * address that relay saw (believed only from a private or loopback peer, as relays are).
   */
  private static String viewerAddress(HttpExchange x) {
    java.net.InetAddress peer = x.getRemoteAddress().getAddress();
    String told = x.getRequestHeaders().getFirst(VIEWER_ADDRESS);
    if (told != null
        && x.getRequestHeaders().containsKey(PASSED)
        && ViewerIds.passable(peer)
        && IP_LITERAL.matcher(told).matches()) {
      return told;
    }
    return peer.getHostAddress();
  }

  private static void preflight(HttpExchange x, String allow) throws IOException {
    preflight(x, allow, SDP);
  }

  /** A CORS preflight; {@code posts} is what a POST there takes (WHEP's SDP, events' JSON). */
  private static void preflight(HttpExchange x, String allow, String posts) throws IOException {
    Headers h = x.getResponseHeaders();
    h.set("Allow", allow);
    h.set("Access-Control-Allow-Methods", allow);
    h.set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
    h.set("Access-Control-Max-Age", "86400");
    if (allow.startsWith("POST")) {
      h.set("Accept-Post", posts);
    }
    send(x, 204, "");
  }

  private static void notAllowed(HttpExchange x, String allow) throws IOException {
    x.getResponseHeaders().set("Allow", allow);
    send(x, 405, "");
  }

  private static void cors(Headers h) {
    h.set("Access-Control-Allow-Origin", "*");
    h.set("Access-Control-Expose-Headers", "Location, Link, Retry-After");
  }

  /** The body as text, or null when it is larger than an SDP can be. */
  private static String readBody(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_SDP_BYTES + 1);
      return b.length > MAX_SDP_BYTES ? null : new String(b, StandardCharsets.UTF_8);
    }
  }

  /** Answers {@code status} with a plain {@code body}, or no body when it is empty. */
  static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0) {
      x.sendResponseHeaders(status, -1);
    } else {
      x.sendResponseHeaders(status, b.length);
      x.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    events.ifPresent(SessionEvents::close);
    passedStreams.close();
    server.stop(1);
    threads.shutdownNow();
  }
}
