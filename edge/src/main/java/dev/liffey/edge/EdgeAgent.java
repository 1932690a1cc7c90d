package dev.liffey.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.liffey.edge.drain.Drain;
import dev.liffey.edge.janus.JanusEvents;
import dev.liffey.edge.metrics.EdgePublisher;
import dev.liffey.edge.viewers.ViewerSessions;
import dev.liffey.edge.viewers.Viewers;
import dev.liffey.edge.whep.WhepServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's agent, running: the WHEP server, Janus's event sink, and three periodic jobs (keep
 * viewers' Janus sessions alive, publish metrics, watch the lifecycle). Each job runs on its own
 * thread, so a slow CloudWatch never delays a drain or a keepalive.
 */
public final class EdgeAgent implements AutoCloseable {
  /** Well inside Janus's default session timeout of 60 s. */
  static final Duration KEEPALIVE_EVERY = Duration.ofSeconds(15);

  static final Duration LIFECYCLE_EVERY = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

  private final WhepServer server;
  private final ViewerSessions sessions;
  private final Viewers viewers;
  private final Optional<EdgePublisher> publisher;
  private final Optional<Drain> drain;
  private final Duration publishEvery;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService keepalives = single("keepalive");
  private final ScheduledExecutorService publishing = single("publish");
  private final ScheduledExecutorService lifecycle = single("lifecycle");

  public EdgeAgent(
      WhepServer server,
      ViewerSessions sessions,
      Viewers viewers,
      Optional<EdgePublisher> publisher,
      Optional<Drain> drain,
      Duration publishEvery,
      Clock clock) {
    this.server = server;
    this.sessions = sessions;
    this.viewers = viewers;
    this.publisher = publisher;
    this.drain = drain;
    this.publishEvery = publishEvery;
    this.clock = clock;
    server.route("/janus-events", this::janusEvents);
  }

  public void start() {
    server.start();
    every(keepalives, KEEPALIVE_EVERY, sessions::sweep);
    publisher.ifPresent(p -> every(publishing, publishEvery, () -> p.publish(clock.instant())));
    drain.ifPresent(d -> every(lifecycle, LIFECYCLE_EVERY, d::tick));
  }

  /** What {@code GET /health} reports. */
  public WhepServer.Health health() {
    boolean draining = drain.map(Drain::draining).orElse(false);
    ObjectNode body = json.createObjectNode();
    body.put("state", draining ? "draining" : "serving");
    body.put("viewers", viewers.size());
    ObjectNode byMarket = body.putObject("watching");
    viewers.watchingByMarket().forEach(byMarket::put);
    return new WhepServer.Health(draining, body.toString() + "\n");
  }

  /** Janus's event handler posts here; only from this machine, or anyone could end a viewer. */
  private void janusEvents(HttpExchange x) throws IOException {
    try (x;
        InputStream in = x.getRequestBody()) {
      if (!x.getRemoteAddress().getAddress().isLoopbackAddress()) {
        x.sendResponseHeaders(403, -1);
        return;
      }
      try {
        JanusEvents.dispatch(
            json.readTree(in),
            new JanusEvents.Listener() {
              @Override
              public void lost(long session, String why) {
                sessions.janusLost(session, why);
              }

              @Override
              public void rtt(long session, double millis) {
                viewers.rtt(session, millis);
              }
            });
        x.sendResponseHeaders(200, -1);
      } catch (IOException e) {
        x.sendResponseHeaders(400, -1);
      }
    }
  }

  private static void every(ScheduledExecutorService s, Duration d, Runnable job) {
    s.scheduleWithFixedDelay(
        () -> {
          try {
            job.run();
          } catch (RuntimeException e) {
            log.error("periodic job failed; it runs again next period", e);
          }
        },
        d.toMillis(),
        d.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static ScheduledExecutorService single(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    keepalives.shutdownNow();
    publishing.shutdownNow();
    lifecycle.shutdownNow();
    server.close();
  }
}
