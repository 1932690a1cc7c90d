package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toString();
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  @Test
  void jsonHasTheTraceAndOneScorecardPerPolicy() throws Exception {
    int code = cli.run("simulate", "--config", CONFIG, "--trace", "bundled:viral-spike", "--policy",
        "liffey,target-tracking", "--json");

    assertThat(code).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out.toString());
    assertThat(doc.get("trace").asText()).isEqualTo("viral-spike.csv");
    assertThat(doc.get("results")).hasSize(2);
    JsonNode liffey = doc.get("results").get(0);
    assertThat(liffey.get("policy").asText()).isEqualTo("liffey");
    assertThat(liffey.fieldNames()).toIterable().contains("unservedViewerSeconds", "servedViewerSeconds",
        "slowViewerSeconds", "costUsd", "scalingActions", "peakViewers", "p95LatencyMillis");
    assertThat(liffey.get("unservedViewerSeconds").asDouble()).isZero();
    assertThat(doc.get("results").get(1).get("unservedViewerSeconds").asDouble()).isPositive();
  }

  @Test
  void markdownIsOneTableRowPerTraceAndPolicy() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), LiffeyCli.class.getName(), "simulate", "--config", CONFIG,
        "--trace", "bundled:viral-spike", "--policy", "liffey,oracle", "--markdown").start();
    String stdout = new String(p.getInputStream().readAllBytes());

    assertThat(p.waitFor()).isZero();
    assertThat(stdout.lines()).hasSize(4);
    assertThat(stdout).startsWith("| trace | policy | unserved viewer·s |")
        .contains("| viral-spike | **liffey** | 0 |").contains("| viral-spike | oracle | 0 |");
  }

  @Test
  void theTableEndsWithLiffeysVerdictAgainstItsTargets() {
    int code = cli.run("simulate", "--config", CONFIG, "--trace", "bundled:viral-spike");

    assertThat(code).isZero();
    assertThat(cli.out.toString()).contains("viral-spike.csv (45 min)")
        .containsPattern("liffey: unserved 0\\.0% of target tracking's \\(target <= 5%: met\\); cost 1\\.\\d\\dx the"
            + " oracle's \\(target <= 1\\.25x: met\\)");
  }

  @Test
  void aReportHasAChartPerRegionAndASummary() throws Exception {
    Path report = dir.resolve("report");

    int code = cli.run("simulate", "--config", CONFIG, "--trace", "bundled:viral-spike", "--report", report.toString());

    assertThat(code).isZero();
    assertThat(report.resolve("viral-spike-eu-west-1.png")).isNotEmptyFile();
    assertThat(Files.readAllBytes(report.resolve("viral-spike-eu-west-1.png"))).startsWith(0x89, 'P', 'N', 'G');
    assertThat(Files.readString(report.resolve("summary.md")))
        .contains("| viral-spike | **liffey** | 0 |").contains("![Dublin](viral-spike-eu-west-1.png)");
  }

  @Test
  void aBadTraceExitsTwo_namingEveryBadLine() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "t,kind,key,value\n0,viewers,IE,100\n5,viewers,FR,10\n4,viewers,IE,9\n");

    int code = cli.run("simulate", "--config", CONFIG, "--trace", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo(bad + ":3: unknown market 'FR': the config has DE, GB, IE\n"
        + bad + ":4: time goes backwards: 4 after 5 (rows must be in time order)\n"
        + bad + ": invalid trace, 2 problems\n");
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aRowFarInTheFutureOrADeviceExitsTwoAtOnce_insteadOfRunningForEver() throws Exception {
    Path far = dir.resolve("far.csv");
    Files.writeString(far, "t,kind,key,value\n0,viewers,IE,100\n1e9,viewers,IE,200\n");

    assertThat(cli.run("simulate", "--config", CONFIG, "--trace", far.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo(far + ":3: t 1e9 is beyond the 14-day horizon (1,209,600 s): fix the"
        + " time, or split the trace\n" + far + ": invalid trace, 1 problem\n");

    assertThat(cli.run("simulate", "--config", CONFIG, "--trace", "/dev/zero")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("/dev/zero: not a regular file (a device, named pipe or socket)\n"
        + "/dev/zero: invalid trace, 1 problem\n");
  }

  @Test
  void anUnknownPolicyOrBundledTraceExitsTwo_withTheChoices() {
    assertThat(cli.run("simulate", "--config", CONFIG, "--trace", "bundled:viral-spike", "--policy", "magic")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo(
        "liffey: unknown policy 'magic': use one or more of liffey,target-tracking,static,oracle,"
            + "target-tracking-10s,step-scaling,predictive,oracle-at-target\n");

    assertThat(cli.run("simulate", "--config", CONFIG, "--trace", "bundled:nope")).isEqualTo(2);
    assertThat(cli.err.toString()).endsWith("liffey: no bundled trace 'nope': use bundled:all or one of bundled:viral-spike,"
        + " bundled:match, bundled:diurnal-week, bundled:dublin-latency-incident\n");
  }
}
