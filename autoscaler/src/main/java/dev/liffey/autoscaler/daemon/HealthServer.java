package dev.liffey.autoscaler.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (a leader whose last tick ran recently; a
 * standby that campaigns and reaches the Kubernetes API server, so it can take over) and {@code
 * /metrics} (Prometheus).
 */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param readyWithin the most time since the last good tick for /readyz to answer 200
   */
  HealthServer(
      String host, int port, DaemonMetrics metrics, Leadership leadership, Duration readyWithin)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "liffey-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/healthz", ex -> answer(ex, 200, "ok\n", "text/plain"));
    server.createContext(
        "/readyz",
        ex -> {
          Instant last = metrics.lastGoodTick();
          if (!leadership.isLeader()) {
            if (leadership.ready()) {
              answer(ex, 200, "standing by for the leader\n", "text/plain");
            } else {
              answer(
                  ex,
                  503,
                  "standing by, but the Kubernetes API server has not answered: cannot take over\n",
                  "text/plain");
            }
          } else if (last != null
              && Duration.between(last, Instant.now()).compareTo(readyWithin) <= 0) {
            answer(ex, 200, "ready: last tick " + last + "\n", "text/plain");
          } else {
            answer(
                ex,
                503,
                (last == null ? "no tick has succeeded yet" : "last good tick " + last) + "\n",
                "text/plain");
          }
        });
    server.createContext(
        "/metrics",
        ex ->
            answer(ex, 200, metrics.registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
