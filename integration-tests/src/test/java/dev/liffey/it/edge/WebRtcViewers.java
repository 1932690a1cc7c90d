package dev.liffey.it.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless WebRTC viewers (Python aiortc, decoding what they receive) run by {@code
 * src/test/python/whep_viewers.py} in a virtual environment made on first use under {@code
 * target/webrtc-venv}.
 */
final class WebRtcViewers {
  static final String AIORTC = "aiortc==1.16.0";
  static final String AIOHTTP = "aiohttp==3.14.5";
  private static final Path VENV = Path.of("target", "webrtc-venv").toAbsolutePath();
  private static final Path SCRIPT =
      Path.of("src", "test", "python", "whep_viewers.py").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One viewer: joins {@code url} with {@code token} and watches for {@code seconds}; its PATCH and
   * DELETE go to {@code resourceBase} when it is not null (another relay, as a load balancer might
   * send them). One that {@code followsReconnect} subscribes to its session's WHEP events and on a
   * {@code reconnect} event makes a new session before it leaves the old one, at the event's URL
   * resolved against {@code reconnectBase} (null: against {@code url}).
   */
  record Spec(
      String name,
      String url,
      String token,
      int seconds,
      String resourceBase,
      boolean followsReconnect,
      String reconnectBase) {
    Spec(String name, String url, String token, int seconds) {
      this(name, url, token, seconds, null);
    }

    Spec(String name, String url, String token, int seconds, String resourceBase) {
      this(name, url, token, seconds, resourceBase, false, null);
    }

    /** A viewer that follows reconnect events, resolving their URL against {@code base}. */
    static Spec followingReconnects(
        String name, String url, String token, int seconds, String base) {
      return new Spec(name, url, token, seconds, null, true, base);
    }
  }

  /** Viewers started together; {@link #results()} waits for them to finish. */
  static final class Run {
    private final Process process;
    private final Path out;
    private final Path err;

    private Run(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    long pid() {
      return process.pid();
    }

    JsonNode results() throws IOException, InterruptedException {
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the viewers did not finish within 180 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("the viewers failed: " + Files.readString(err));
      }
      return JSON.readTree(out.toFile());
    }
  }

  static synchronized void install() throws IOException, InterruptedException {
    Path python = VENV.resolve("bin/python");
    if (Files.isExecutable(python)
        && run(List.of(python.toString(), "-c", "import aiortc, aiohttp")) == 0) {
      return;
    }
    if (run(List.of("python3", "-m", "venv", VENV.toString())) != 0
        || run(List.of(VENV.resolve("bin/pip").toString(), "install", "--quiet", AIORTC, AIOHTTP))
            != 0) {
      throw new IllegalStateException(
          "cannot install " + AIORTC + " into " + VENV + " (needs python3-venv and PyPI)");
    }
  }

  static Run start(Path dir, String name, List<Spec> viewers)
      throws IOException, InterruptedException {
    install();
    ArrayNode specs = JSON.createArrayNode();
    viewers.forEach(
        v -> {
          ObjectNode spec =
              specs
                  .addObject()
                  .put("name", v.name())
                  .put("url", v.url())
                  .put("token", v.token())
                  .put("seconds", v.seconds())
                  .put("first_frame_file", firstFrame(dir, v.name()).toString());
          if (v.resourceBase() != null) {
            spec.put("resource_base", v.resourceBase());
          }
          if (v.followsReconnect()) {
            spec.put("follow_reconnect", true);
          }
          if (v.reconnectBase() != null) {
            spec.put("reconnect_base", v.reconnectBase());
          }
        });
    Path in = dir.resolve(name + ".json");
    JSON.writeValue(in.toFile(), specs);
    Path out = dir.resolve(name + "-results.json");
    Path err = dir.resolve(name + "-stderr.txt");
    Process p =
        new ProcessBuilder(VENV.resolve("bin/python").toString(), SCRIPT.toString(), in.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new Run(p, out, err);
  }

  /**
   * The file a viewer writes when its first video frame arrives (the wall-clock epoch second in
   * it): a test that must act while a viewer is watching waits for it, not for a fixed time.
   */
  static Path firstFrame(Path dir, String viewer) {
    return dir.resolve(viewer + ".first-frame");
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** Frames a second a viewer decoded, averaged over its whole seconds (the first and last cut). */
  static double fullSeconds(List<Integer> perSecond) {
    if (perSecond.size() <= 2) {
      return 0;
    }
    return perSecond.subList(1, perSecond.size() - 1).stream()
        .mapToInt(Integer::intValue)
        .average()
        .orElse(0);
  }
}
