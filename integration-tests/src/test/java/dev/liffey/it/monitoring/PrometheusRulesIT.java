package dev.liffey.it.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The autoscaler's alerts, evaluated by a real Prometheus rule engine: {@code promtool test rules}
 * (built from the Go module proxy by {@code integration-tests/promtool/build.sh}, cached outside
 * the clone) runs {@code autoscaler/monitoring/prometheus-rules.test.yaml} against the rule file's
 * {@code spec}. An alert that cannot fire in the case it exists for (every replica gone leaves no
 * series to sum) fails here, where a check of metric names would pass.
 */
class PrometheusRulesIT {
  /** Failsafe runs in {@code integration-tests/}. */
  private static final Path MONITORING = Path.of("..", "autoscaler", "monitoring");

  private static final Path BUILD_SCRIPT =
      Path.of("promtool", "build.sh").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES) // the first build on a machine: a few minutes
  void everyAlertPagesWhenItShould_andOnlyThen() throws Exception {
    Path promtool = promtool();
    testing(Files.readString(MONITORING.resolve("prometheus-rules.yaml")));

    String out = run(dir, List.of(promtool.toString(), "test", "rules", "rules.test.yaml"), 2);

    assertThat(out).contains("SUCCESS");
  }

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void theCheckCatchesAnAlertThatCannotFireWithNoSeries() throws Exception {
    Path promtool = promtool();
    // The no-leader alert as it was until stop 65: a sum over no series is no series.
    String shipped = Files.readString(MONITORING.resolve("prometheus-rules.yaml"));
    String before =
        shipped.replace(
            "expr: (sum(liffey_leader) or vector(0)) < 1", "expr: sum(liffey_leader) < 1");
    assertThat(before).isNotEqualTo(shipped);
    testing(before);

    Process p =
        new ProcessBuilder(promtool.toString(), "test", "rules", "rules.test.yaml")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(out).isNotZero();
    assertThat(out).contains("LiffeyNoLeader").contains("FAILED");
  }

  /** promtool, built on this machine's first run and cached. */
  private Path promtool() throws IOException, InterruptedException {
    return Path.of(run(dir, List.of("bash", BUILD_SCRIPT.toString()), 20).strip());
  }

  /**
   * Writes {@code rules} (a prometheus-operator PrometheusRule, whose spec is a plain Prometheus
   * rule file) as rules.yaml, beside the repository's tests of it.
   */
  private void testing(String rules) throws IOException {
    Map<String, Object> rule = new Yaml().load(rules);
    Files.writeString(dir.resolve("rules.yaml"), new Yaml().dump(rule.get("spec")));
    Files.copy(MONITORING.resolve("prometheus-rules.test.yaml"), dir.resolve("rules.test.yaml"));
  }

  /** Runs {@code command} in {@code dir}; its output, or a failure naming it and its output. */
  private static String run(Path dir, List<String> command, long minutes)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + minutes + " min");
    }
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
