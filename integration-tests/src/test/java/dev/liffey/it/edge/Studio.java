package dev.liffey.it.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A studio as Liffey's ingest contract asks: it POSTs its stream to any transcoder of the region
 * (following the 307 to the one placement chose), sends to the SRT ingest it is given, and whenever
 * that connection ends asks the stream's address again (following a hand-over's 307) and sends
 * there.
 */
final class Studio implements AutoCloseable {
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ObjectMapper json = new ObjectMapper();
  private final Path dir;
  private final int fps;
  private final Thread loop;

  /** Each SRT ingest sent to, in order. */
  final List<String> ingests = new CopyOnWriteArrayList<>();

  /** When each encoder started and ended. */
  final List<String> events = new CopyOnWriteArrayList<>();

  private volatile URI stream;
  private volatile Process encoder;
  private volatile boolean closed;

  private Studio(Path dir, int fps) {
    this.dir = dir;
    this.fps = fps;
    this.loop = new Thread(this::run, "studio");
    loop.setDaemon(true);
  }

  /** Places {@code name} through {@code transcoder} and starts sending. */
  static Studio start(Path dir, int fps, URI transcoder, String name) throws Exception {
    Studio s = new Studio(dir, fps);
    HttpResponse<String> r =
        s.http.send(
            HttpRequest.newBuilder(transcoder.resolve("/streams"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("stream not placed: HTTP " + r.statusCode() + " " + r.body());
    }
    s.stream = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
    s.ingests.add(s.json.readTree(r.body()).path("ingest").asText());
    s.loop.start();
    return s;
  }

  /** Where the stream's resource was first placed. */
  URI stream() {
    return stream;
  }

  private void run() {
    while (!closed) {
      try {
        String ingest = ingests.get(ingests.size() - 1);
        encoder = TranscoderProcess.studio(dir, fps, ingest + "?mode=caller", "studio.log");
        events.add(java.time.Instant.now() + " sends to " + ingest);
        encoder.waitFor();
        events.add(java.time.Instant.now() + " its connection ended");
        if (closed) {
          return;
        }
        Thread.sleep(200);
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(stream).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          stream = r.uri(); // the transcoder it is on now: the old one goes
          String now = json.readTree(r.body()).path("ingest").asText();
          if (!now.equals(ingest)) {
            ingests.add(now);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the transcoder not answering: ask again shortly
        try {
          Thread.sleep(500);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    Process p = encoder;
    if (p != null) {
      p.destroy();
    }
    loop.interrupt();
    loop.join(5_000);
  }
}
