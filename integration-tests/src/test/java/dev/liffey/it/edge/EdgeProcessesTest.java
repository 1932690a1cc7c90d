package dev.liffey.it.edge;

import dev.liffey.it.emulator.EmulatorTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the ITs that run edge processes (agents, Janus, FFmpeg, viewers) beside the emulator:
 * each one started is stopped after the test, the last started first.
 */
abstract class EdgeProcessesTest extends EmulatorTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();

  <T extends AutoCloseable> T running(T t) {
    running.add(0, t);
    return t;
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  String get(URI uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
