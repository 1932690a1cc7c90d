package dev.liffey.it.edge;

import dev.liffey.it.emulator.EmulatorTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Base of the ITs that run edge processes (agents, Janus, FFmpeg, viewers) beside the emulator:
 * each one started is stopped after the test, the last started first. When a test fails, the tail
 * of every process's log is printed before the temporary directory holding them is deleted.
 */
abstract class EdgeProcessesTest extends EmulatorTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();

  /** Lines of each log printed when a test fails: enough for a process's last minute. */
  private static final int LOG_TAIL_LINES = 60;

  // Runs right after the test method, before @AfterEach stops the processes and before the
  // temporary directory goes: the logs are what tells why a process never did what was awaited.
  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure =
      context -> {
        if (context.getExecutionException().isPresent()) {
          printLogTails();
        }
      };

  /**
   * A relay agent's environment: AWS is the emulator, Auto Scaling's lifecycle calls go to {@code
   * lifecycle}, and IMDS is {@code imds}.
   */
  Map<String, String> relayEnvironment(FakeImds imds, LifecycleRecorder lifecycle) {
    return Map.of(
        "AWS_ENDPOINT_URL", emulator.endpoint().toString(),
        "AWS_ENDPOINT_URL_AUTO_SCALING", lifecycle.endpoint().toString(),
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(),
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing");
  }

  /**
   * A relay agent's flags for an Irish relay of {@code region} that follows the control table (its
   * transcoders, and its relays when it packs), then {@code more}.
   */
  List<String> controlTableRelay(String region, String... more) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--region",
                region,
                "--market",
                "IE",
                "--control-table",
                config.control().tableName(),
                "--control-region",
                config.primaryRegion()));
    flags.addAll(List.of(more));
    return flags;
  }

  /**
   * The items the agents wrote to one partition of the control table ({@code relays#eu-west-1},
   * {@code transcoders#eu-west-1}).
   */
  List<Map<String, AttributeValue>> controlTableItems(String partition) {
    return aws.dynamoDb(config.primaryRegion())
        .query(
            q ->
                q.tableName(config.control().tableName())
                    .keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition))))
        .items();
  }

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

  private void printLogTails() throws IOException {
    List<Path> logs;
    try (Stream<Path> files = Files.walk(dir)) {
      logs = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
    }
    for (Path log : logs) {
      List<String> lines;
      try {
        // Latin-1 reads any bytes: an FFmpeg log is not always UTF-8.
        lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        System.err.println("[liffey-it] " + log + " not read: " + e.getMessage());
        continue;
      }
      System.err.println(
          "[liffey-it] ---- " + dir.relativize(log) + " (last " + LOG_TAIL_LINES + " lines) ----");
      lines
          .subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
          .forEach(System.err::println);
    }
  }

  String get(URI uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
