package dev.liffey.it.edge;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The relay agent's jar, run as a process beside one Janus, as systemd runs it on a relay. */
final class RelayAgent implements AutoCloseable {
  static final Path JAR =
      Path.of("..", "edge", "target", "liffey-edge.jar").toAbsolutePath().normalize();

  final int port;
  final Path log;
  private final Process process;

  RelayAgent(int port, Path log, Map<String, String> env, List<String> args) throws IOException {
    this.port = port;
    this.log = log;
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString(),
                "--listen",
                "127.0.0.1:" + port));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    process = pb.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for {@code /health} to answer at all (200 serving, 503 draining). */
  void awaitListening() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the relay agent exited (" + process.exitValue() + "): " + Files.readString(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) base().resolve("/health").toURL().openConnection();
        c.setConnectTimeout(300);
        c.getResponseCode();
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "the relay agent did not listen within 30 s: " + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
