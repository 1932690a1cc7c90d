package dev.liffey.edge.whep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus's HTTP API on loopback, as much of it as a WHEP viewer's life needs: sessions and a
 * streaming handle, {@code watch} answered with an offer, {@code start}, keepalives, destroy. Each
 * request is answered at once (a long-poll with no event answers an empty array).
 */
final class FakeJanus implements AutoCloseable {
  static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=fake\r\nt=0 0\r\n";

  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<Long, Queue<JsonNode>> events = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeJanus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/janus", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/janus");
  }

  /** Janus's sessions now (destroyed ones gone). */
  int sessions() {
    return events.size();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String[] path = x.getRequestURI().getPath().split("/");
      long session = path.length > 2 ? Long.parseLong(path[2]) : 0;
      if (x.getRequestMethod().equals("GET")) {
        Queue<JsonNode> q = events.get(session);
        if (q == null) {
          reply(x, 404, "");
          return;
        }
        JsonNode e = q.poll();
        reply(x, 200, e == null ? "[]" : "[" + e + "]");
        return;
      }
      JsonNode m = json.readTree(x.getRequestBody());
      ObjectNode r = json.createObjectNode().put("janus", "success");
      switch (m.path("janus").asText()) {
        case "create" -> {
          long id = ids.incrementAndGet();
          events.put(id, new ConcurrentLinkedQueue<>());
          r.putObject("data").put("id", id);
        }
        case "attach" -> r.putObject("data").put("id", ids.incrementAndGet());
        case "destroy" -> events.remove(session);
        case "message" -> {
          ObjectNode e = json.createObjectNode().put("janus", "event");
          String request = m.path("body").path("request").asText();
          e.putObject("plugindata").putObject("data").put("streaming", "event");
          if (request.equals("watch")) {
            e.putObject("jsep").put("type", "offer").put("sdp", OFFER);
          }
          Queue<JsonNode> q = events.get(session);
          if (q != null) {
            q.add(e);
          }
          r.put("janus", "ack");
        }
        default -> r.put("janus", "ack"); // keepalive, trickle
      }
      if (!events.containsKey(session)
          && session != 0
          && !m.path("janus").asText().equals("destroy")) {
        r = json.createObjectNode().put("janus", "error");
        r.putObject("error").put("code", 458).put("reason", "No such session");
      }
      reply(x, 200, r.toString());
    }
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
