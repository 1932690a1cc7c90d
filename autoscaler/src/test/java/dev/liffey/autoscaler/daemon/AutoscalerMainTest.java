package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThat(out.toString()).contains("scorecard viral-spike.csv, policy liffey:")
        .contains("unservedViewerSeconds 0").contains("peakViewers           11,464");
  }

  @Test
  void aTraceFileReplaysWithTheChosenPolicy() throws Exception {
    Path trace = dir.resolve("t.csv");
    Files.writeString(trace, "t,kind,key,value\n0,viewers,IE,2000\n300,viewers,IE,2000\n");

    int code = run("--config", CONFIG, "--simulate", trace.toString(), "--policy", "target-tracking", "--speed", "100000");

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
      assertThat(run("--config", CONFIG, "--simulate", trace.toString(), "--speed", "100000")).as("run %d", i).isZero();
      assertThat(out.toString()).as("run %d", i).contains("scorecard " + trace);
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
    Files.writeString(bad, Files.readString(Path.of(CONFIG)).replace("tickSeconds: 10", "tickSeconds: 0"));

    assertThat(run("--config", bad.toString(), "--simulate")).isEqualTo(2);
    assertThat(err.toString()).contains("scaling.tickSeconds: 0 is out of range [1, 300]")
        .contains("nothing was started");
  }
}
