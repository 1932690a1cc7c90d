package dev.liffey.edge.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.liffey.edge.placement.Placement;
import dev.liffey.edge.placement.TranscoderEntry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoder agent's API, on the instance's private address (studios' ingest control and
 * relays; never public):
 *
 * <ul>
 *   <li>{@code POST /streams} {@code {"name": "match-1"}}: take a live stream; 201 with its SRT
 *       ingest URL and ladder, 409 when it is here already, 307 to another transcoder's {@code
 *       /streams?placed=1} when the stream belongs there ({@link Placement}: a more preferred GPU
 *       type with room, or this one is full or draining), 503 with {@code Retry-After} when no
 *       transcoder has a slot. {@code ?placed=1} (a placement already made) is never redirected.
 *   <li>{@code GET /streams}: each stream's ingest, ladder, renditions, relays and packets sent.
 *   <li>{@code GET /streams/{name}}: one of them; 307 to the transcoder it was handed over to (a
 *       studio whose SRT connection ended asks here again); 404 when it is not here.
 *   <li>{@code DELETE /streams/{name}}: end it.
 *   <li>{@code PUT /streams/{name}/relays/{relay}} {@code {"host": "10.0.1.7", "ports": {"720":
 *       10002, ...}}}: a relay's mountpoint port for each rendition; renewed every few seconds, it
 *       holds for the lease. {@code DELETE} the same to leave.
 *   <li>{@code GET /health}: 200 with the number of streams and whether it drains.
 * </ul>
 */
public final class TranscoderServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TranscoderServer.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_BODY = 16 * 1024;

  private final HttpServer server;
  private final ExecutorService threads;
  private final Transcoder transcoder;
  private final Optional<Placement> placement;
  private final String instanceType;
  private final Runnable changed;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param placement where new streams go when not here; empty: every stream this one can take
   * @param instanceType this instance's GPU type, for placement
   * @param changed told, before the answer goes, that a stream started or ended here (the registry
   *     entry is written at once, so placement does not send a stream here on a stale room)
   */
  public TranscoderServer(
      InetSocketAddress listen,
      Transcoder transcoder,
      Optional<Placement> placement,
      String instanceType,
      Runnable changed,
      Clock clock)
      throws IOException {
    this.transcoder = transcoder;
    this.placement = placement;
    this.instanceType = instanceType;
    this.changed = changed;
    this.clock = clock;
    this.server = HttpServer.create(listen, 64);
    this.threads =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "transcoder-api");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/streams", this::streams);
    server.createContext("/health", this::health);
  }

  public void start() {
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void health(HttpExchange x) throws IOException {
    try (x) {
      send(
          x,
          200,
          json.writeValueAsString(
              Map.of("streams", transcoder.size(), "draining", transcoder.draining())));
    }
  }

  private void streams(HttpExchange x) throws IOException {
    // The exchange closes after the refusals are answered (a try-with-resources would close it
    // before its catch clauses run).
    try (x) {
      answer(x);
    }
  }

  private void answer(HttpExchange x) throws IOException {
    try {
      String[] parts = x.getRequestURI().getPath().replaceAll("/+$", "").split("/", -1);
      String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
      // "", "streams", name, "relays", relay
      if (parts.length == 2) {
        switch (method) {
          case "GET" -> send(x, 200, json.writeValueAsString(transcoder.streams()));
          case "POST" -> post(x);
          default -> send(x, 405, "GET or POST /streams\n");
        }
      } else if (parts.length == 3 && method.equals("DELETE")) {
        boolean stopped = transcoder.stop(parts[2]);
        if (stopped) {
          changed.run();
        }
        send(x, stopped ? 204 : 404, "");
      } else if (parts.length == 3 && method.equals("GET")) {
        one(x, parts[2]);
      } else if (parts.length == 5
          && parts[3].equals("relays")
          && NAME.matcher(parts[4]).matches()) {
        switch (method) {
          case "PUT" -> register(x, parts[2], parts[4]);
          case "DELETE" -> send(x, transcoder.unregister(parts[2], parts[4]) ? 204 : 404, "");
          default -> send(x, 405, "PUT or DELETE /streams/{name}/relays/{relay}\n");
        }
      } else {
        send(
            x,
            404,
            "not a transcoder resource: /streams, /streams/{name} or"
                + " /streams/{name}/relays/{relay}\n");
      }
    } catch (Transcoder.Refused r) {
      if (r.status() == 503) {
        x.getResponseHeaders().set("Retry-After", "5");
      }
      send(x, r.status(), r.getMessage() + "\n");
    } catch (BadRequest b) {
      send(x, 400, b.getMessage() + "\n");
    } catch (RuntimeException e) {
      log.error("{} {} failed", x.getRequestMethod(), x.getRequestURI(), e);
      send(x, 500, "the transcoder failed: " + e.getMessage() + "\n");
    }
  }

  private void one(HttpExchange x, String name) throws IOException {
    Optional<Transcoder.StreamView> here = transcoder.stream(name);
    if (here.isPresent()) {
      send(x, 200, json.writeValueAsString(here.get()));
      return;
    }
    Optional<URI> moved = transcoder.movedTo(name);
    if (moved.isPresent()) {
      x.getResponseHeaders().set("Location", moved.get().toString());
      send(x, 307, "stream '" + name + "' was handed over to " + moved.get() + "\n");
      return;
    }
    send(x, 404, "no stream '" + name + "' on this transcoder: POST it to /streams\n");
  }

  private void post(HttpExchange x) throws IOException {
    JsonNode body = body(x);
    String name = body.path("name").asText("");
    if (!NAME.matcher(name).matches()) {
      throw new BadRequest(
          "a stream's \"name\" is 1-64 letters, digits, '.', '_' or '-', like match-1");
    }
    String query = Optional.ofNullable(x.getRequestURI().getQuery()).orElse("");
    if (!query.matches("(.*&)?placed=1(&.*)?") && placement.isPresent()) {
      Optional<TranscoderEntry> to = placement.get().instead(instanceType, transcoder.room() > 0);
      if (to.isPresent()) {
        URI there = to.get().api().resolve("/streams?placed=1");
        x.getResponseHeaders().set("Location", there.toString());
        send(
            x,
            307,
            "stream '"
                + name
                + "' goes to transcoder "
                + to.get().id()
                + " ("
                + to.get().instanceType()
                + "): POST it to "
                + there
                + "\n");
        return;
      }
    }
    Transcoder.StreamView started = transcoder.start(name);
    changed.run();
    x.getResponseHeaders().set("Location", "/streams/" + name);
    send(x, 201, json.writeValueAsString(started));
  }

  private void register(HttpExchange x, String stream, String relay) throws IOException {
    JsonNode body = body(x);
    String host = body.path("host").asText("");
    if (host.isEmpty() || !body.path("ports").isObject()) {
      throw new BadRequest(
          "a relay sends {\"host\": \"10.0.1.7\", \"ports\": {\"1080\": 10000, \"720\": 10002, ...}}");
    }
    Map<Integer, Integer> ports = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.get("ports").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int port = e.getValue().asInt(0);
      if (!e.getKey().matches("\\d{3,4}") || port < 1 || port > 65_535) {
        throw new BadRequest(
            "ports: a rendition's height to a UDP port, like \"720\": 10002 (got \""
                + e.getKey()
                + "\": "
                + e.getValue()
                + ")");
      }
      ports.put(Integer.parseInt(e.getKey()), port);
    }
    transcoder.register(stream, relay, host, ports, clock.instant());
    send(x, 204, "");
  }

  private JsonNode body(HttpExchange x) throws IOException {
    byte[] b = x.getRequestBody().readNBytes(MAX_BODY + 1);
    if (b.length > MAX_BODY) {
      throw new BadRequest("a body of at most " + MAX_BODY + " bytes");
    }
    try {
      return json.readTree(b.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : b);
    } catch (IOException e) {
      throw new BadRequest("the body is not JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (body.startsWith("{") || body.startsWith("[")) {
      x.getResponseHeaders().set("Content-Type", "application/json");
    }
    x.sendResponseHeaders(status, status == 204 || b.length == 0 ? -1 : b.length);
    if (b.length > 0 && status != 204) {
      x.getResponseBody().write(b);
    }
  }

  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
