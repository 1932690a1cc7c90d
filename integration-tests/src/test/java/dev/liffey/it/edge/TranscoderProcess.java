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
import java.util.concurrent.TimeUnit;

/**
 * The transcoder agent's jar ({@code liffey-edge.jar transcoder}) as a process, as systemd runs it
 * on a GPU instance, on free ports, reading the emulated control table; and a studio's FFmpeg
 * calling it over SRT with an H.265 test pattern.
 */
final class TranscoderProcess implements AutoCloseable {
  final int port = Ports.tcp();
  final int ingest = Ports.udp();
  final Path log;
  private final Process process;

  TranscoderProcess(
      Path dir, URI emulator, String region, String table, String tableRegion, int fps)
      throws IOException {
    this(dir, "transcoder", emulator, region, table, tableRegion, fps, Map.of(), List.of());
  }

  /**
   * @param name its log's name
   * @param env more of its environment (IMDS, Auto Scaling endpoints)
   * @param flags more flags (its instance type, instance id, preferred types)
   */
  TranscoderProcess(
      Path dir,
      String name,
      URI emulator,
      String region,
      String table,
      String tableRegion,
      int fps,
      Map<String, String> env,
      List<String> flags)
      throws IOException {
    log = dir.resolve(name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                RelayAgent.JAR.toString(),
                "transcoder",
                "--listen",
                "127.0.0.1:" + port,
                "--region",
                region,
                "--advertise-host",
                "127.0.0.1",
                "--ingest-bind",
                "127.0.0.1",
                "--ingest-ports",
                ingest + "-" + ingest,
                "--slots",
                "10",
                "--frame-rate",
                String.valueOf(fps),
                "--control-table",
                table,
                "--control-region",
                tableRegion,
                "--poll",
                "1s",
                "--publish-interval",
                "2s",
                "--logs",
                Files.createDirectories(dir.resolve(name + "-ffmpeg")).toString()));
    if (!flags.contains("--instance-type")) {
      command.addAll(List.of("--instance-type", "g6.2xlarge"));
    }
    command.addAll(flags);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "AWS_ENDPOINT_URL", emulator.toString(),
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing"));
    pb.environment().putAll(env);
    process = pb.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  void awaitListening() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the transcoder agent exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) base().resolve("/health").toURL().openConnection();
        c.setConnectTimeout(300);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the transcoder agent did not listen within 30 s");
  }

  /** A studio's encoder sending to this transcoder's one ingest port. */
  Process studio(Path dir, int fps) throws IOException {
    return studio(dir, fps, "srt://127.0.0.1:" + ingest + "?mode=caller", "studio.log");
  }

  /** A studio's encoder: a 720p test pattern as H.265 (a keyframe a second) over SRT. */
  static Process studio(Path dir, int fps, String srt, String logName) throws IOException {
    return new ProcessBuilder(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "warning",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=" + fps,
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-tune",
                "zerolatency",
                "-x265-params",
                "keyint=" + fps + ":log-level=warning",
                "-f",
                "mpegts",
                srt))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()))
        .start();
  }

  /** Stops it as systemd would (SIGTERM); true when it was gone within 20 s. */
  boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (!stop()) {
      process.destroyForcibly();
    }
  }
}
