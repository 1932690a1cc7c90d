package dev.liffey.it.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An instance metadata service for one relay, as IMDSv2 answers: a session token from {@code PUT
 * /latest/api/token} is required on every read. The test moves the target lifecycle state.
 */
final class FakeImds implements AutoCloseable {
  private static final String TOKEN = "imds-session-token";
  private static final String TTL = "X-aws-ec2-metadata-token-ttl-seconds";
  private final HttpServer server;
  private final String instanceId;
  private volatile String lifecycleState = "InService";

  FakeImds(String instanceId) throws IOException {
    this.instanceId = instanceId;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void lifecycleState(String state) {
    lifecycleState = state;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (x.getRequestMethod().equals("PUT") && path.equals("/latest/api/token")) {
        String ttl = x.getRequestHeaders().getFirst(TTL);
        if (ttl == null) {
          reply(x, 400, "");
          return;
        }
        x.getResponseHeaders().set(TTL, ttl); // as IMDS does; the SDK requires it
        reply(x, 200, TOKEN);
      } else if (!TOKEN.equals(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
        reply(x, 401, "");
      } else if (path.equals("/latest/meta-data/instance-id")) {
        reply(x, 200, instanceId);
      } else if (path.equals("/latest/meta-data/autoscaling/target-lifecycle-state")) {
        reply(x, 200, lifecycleState);
      } else {
        reply(x, 404, "");
      }
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
