package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AutoscalerMainTest {
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toString();
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = AutoscalerMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void simulateRunsTheQuartzLoopOverTheWholeBundledSpike_andPrintsTheScorecard() {
    int code = run("--config", CONFIG, "--simulate", "--speed", "100000");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("scorecard viral-spike.csv, policy liffey:")
        .containsPattern("unservedViewerSeconds [\\d,]+\n")
        .containsPattern("egressUsd +\\d+\\.\\d\\d\n")
        .contains("peakViewers           11,464");
  }

  @Test
  void aTraceFileReplaysWithTheChosenPolicy() throws Exception {
    Path trace = dir.resolve("t.csv");
    Files.writeString(trace, "t,kind,key,value\n0,viewers,IE,2000\n300,viewers,IE,2000\n");

    int code =
        run(
            "--config",
            CONFIG,
            "--simulate",
            trace.toString(),
            "--policy",
            "target-tracking",
            "--speed",
            "100000");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("scorecard " + trace + ", policy target-tracking:");
  }

  @Test
  void aShortSimulationAlwaysStops_thirtyRunsInARow() throws Exception {
    // Each run shuts its scheduler down while a 1 ms trigger still hands jobs to the workers: with
    // Quartz's SimpleThreadPool now and then a run never returned (ExecutorThreadPool says why).
    Path trace = dir.resolve("t.csv");
    Files.writeString(trace, "t,kind,key,value\n0,viewers,IE,2000\n300,viewers,IE,2000\n");

    for (int i = 1; i <= 30; i++) {
      out.getBuffer().setLength(0);
      assertThat(run("--config", CONFIG, "--simulate", trace.toString(), "--speed", "100000"))
          .as("run %d", i)
          .isZero();
      assertThat(out.toString()).as("run %d", i).contains("scorecard " + trace);
    }
  }

  @Test
  void sigtermWhileATickRuns_letsItEnd_startsNoOther_andExitsWithoutWaitingForTheGrace()
      throws Exception {
    try (Probe daemon = new Probe(2_000, 25_000)) {
      daemon.awaitFirstTick();
      long sent = System.nanoTime();
      daemon
          .process
          .toHandle()
          .destroy(); // SIGTERM (Process.destroy would also close our end of its output)

      assertThat(daemon.process.waitFor(15, TimeUnit.SECONDS))
          .as("exited within 15 s of SIGTERM")
          .isTrue();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent)).isLessThan(10);
      assertThat(daemon.process.exitValue()).isEqualTo(143);
      assertThat(daemon.output())
          .contains("stopping the scheduler; waiting up to 25s for a running tick")
          .contains("tick 1 ended")
          .doesNotContain("tick 1 interrupted")
          .doesNotContain("tick 2 started")
          .doesNotContain("still running");
    }
  }

  @Test
  void sigtermWhileATickIsStuck_exitsAfterTheGrace_andSaysSo() throws Exception {
    try (Probe daemon = new Probe(600_000, 1_000)) {
      daemon.awaitFirstTick();
      daemon
          .process
          .toHandle()
          .destroy(); // SIGTERM (Process.destroy would also close our end of its output)

      assertThat(daemon.process.waitFor(15, TimeUnit.SECONDS))
          .as("exited within 15 s of SIGTERM")
          .isTrue();
      assertThat(daemon.process.exitValue()).isEqualTo(143);
      assertThat(daemon.output())
          .contains("a tick was still running after 1s; exiting without waiting for it")
          .doesNotContain("tick 1 ended");
    }
  }

  /**
   * {@link SigtermProbe} as a process: the daemon's scheduling and shutdown hook in a JVM of its
   * own.
   */
  private static final class Probe implements AutoCloseable {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch firstTick = new CountDownLatch(1);
    private final Thread reader;

    Probe(long tickMillis, long graceMillis) throws IOException {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SigtermProbe.class.getName(),
                  String.valueOf(tickMillis),
                  String.valueOf(graceMillis))
              .redirectErrorStream(true)
              .start();
      reader =
          new Thread(
              () -> {
                try (BufferedReader in = process.inputReader()) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.append(line).append('\n');
                    if (line.equals("tick 1 started")) {
                      firstTick.countDown();
                    }
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "probe-output");
      reader.setDaemon(true);
      reader.start();
    }

    void awaitFirstTick() throws InterruptedException {
      assertThat(firstTick.await(30, TimeUnit.SECONDS))
          .as("first tick started; output so far:%n%s", output)
          .isTrue();
    }

    String output() throws InterruptedException {
      reader.join(5_000);
      return output.toString();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void onceAgainstAnUnreachableAwsFailsInOneLine_withExitOne() {
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    try {
      assertThat(run("--config", CONFIG, "--once")).isEqualTo(1);
      assertThat(err.toString()).startsWith("liffey-autoscaler: ").doesNotContain("\tat ");
    } finally {
      System.clearProperty("aws.endpointUrl");
    }
  }

  @Test
  void anInvalidConfigStartsNothing() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad, Files.readString(Path.of(CONFIG)).replace("tickSeconds: 10", "tickSeconds: 0"));

    assertThat(run("--config", bad.toString(), "--simulate")).isEqualTo(2);
    assertThat(err.toString())
        .contains("scaling.tickSeconds: 0 is out of range [1, 300]")
        .contains("nothing was started");
  }

  /** The daemon as its own process, with {@code env}: stdout and stderr, and the exit code. */
  private static String[] daemon(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AutoscalerMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
        .as("the daemon finished")
        .isTrue();
    return new String[] {stdout.get(), stderr.get(), String.valueOf(p.exitValue())};
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void jsonLogsAreOneObjectALine_withEachChangeItsRegionFleetBeforeAfterAndReason()
      throws Exception {
    String[] run =
        daemon(
            Map.of("LIFFEY_LOG_FORMAT", "json"),
            "--config",
            CONFIG,
            "--simulate",
            "--speed",
            "100000");

    assertThat(run[2]).as(run[1]).isEqualTo("0");
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
    for (String line : run[0].split("\n")) {
      if (line.startsWith("{")) {
        events.add(mapper.readTree(line));
      }
    }
    assertThat(events)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.has("@timestamp") && e.has("level")).isTrue());
    var scaleOut =
        events.stream()
            .filter(
                e ->
                    e.path("event").asText().equals("scale")
                        && e.path("region").asText().equals("eu-west-1")
                        && e.path("fleet").asText().equals("relay")
                        && e.path("after").asInt() > e.path("before").asInt())
            .findFirst();
    assertThat(scaleOut)
        .as("a relay scale-out in Dublin among %s", events.size())
        .get()
        .satisfies(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("relay");
              assertThat(e.path("reason").asText()).startsWith("scale out relay eu-west-1 ");
              assertThat(e.path("message").asText()).isEqualTo(e.path("reason").asText());
              assertThat(e.path("policy").asText()).isEqualTo("liffey");
            });
    // The scorecard is for people, on stdout as before; every log line is JSON.
    assertThat(run[0]).contains("scorecard viral-spike.csv, policy liffey:");
    assertThat(run[0]).doesNotContain("ch.qos.logback");
  }

  @Test
  void textLogsBeginWithTheDaemonsOwnFirstLine_notLogbacksStatus() throws Exception {
    String[] run = daemon(Map.of(), "--config", CONFIG, "--simulate", "--speed", "100000");

    assertThat(run[2]).as(run[1]).isEqualTo("0");
    // Until stop 70 logback printed thirty lines of its own configuration first, as a warning
    // about the JSON appender the text format leaves unused made it.
    assertThat(run[0].lines().findFirst())
        .get()
        .asString()
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[\\] liffey - config .*");
    assertThat(run[0] + run[1]).doesNotContain("ch.qos.logback").doesNotContain("{\"@timestamp\"");
  }

  @Test
  void anUnknownLogFormatStartsNothing_andSaysWhichThereAre() throws Exception {
    String[] run =
        daemon(
            Map.of("LIFFEY_LOG_FORMAT", "xml"),
            "--config",
            CONFIG,
            "--simulate",
            "--speed",
            "100000");

    assertThat(run[2]).isEqualTo("2");
    assertThat(run[1])
        .isEqualTo(
            "liffey-autoscaler: LIFFEY_LOG_FORMAT=xml is not a log format: use text (the default,"
                + " for people) or json (one object a line, for a log pipeline)\n");
  }
}
