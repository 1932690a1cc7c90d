package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.RoutingPlan;
import dev.liffey.autoscaler.engine.TickReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The Grafana dashboard and the alert rules in autoscaler/monitoring/ name only metrics, and label
 * values, that the daemon's /metrics really exports; every alert has a severity, a summary and a
 * runbook that exists.
 */
class MonitoringFilesTest {
  private static final Path MONITORING = Path.of("monitoring");
  private static final Pattern METRIC = Pattern.compile("\\bliffey_[a-z_]+\\b");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!=|=)\\s*\"([^\"]*)\"");
  private static final Pattern SAMPLE = Pattern.compile("^(liffey_[a-z_]+)(?:\\{([^}]*)})? ");

  /** Metric name to label name to the values it was exported with, from a scrape of every meter. */
  private static Map<String, Map<String, Set<String>>> exported() {
    DaemonMetrics metrics = new DaemonMetrics(() -> true);
    FleetId dublin = FleetId.relay("eu-west-1");
    Decision decision =
        new Decision(
            Instant.now(),
            "liffey",
            List.of(new FleetPlan(dublin, 4, 9, 2, "scale out")),
            Optional.of(
                new RoutingPlan(
                    "IE", Map.of("eu-west-1", 200), Map.of("eu-west-1", 180), "latency")),
            Map.of("IE", new Decision.ForecastPoint(20_000, 24_000, Duration.ofSeconds(115))));
    metrics.tick(
        new TickReport(
            decision,
            "scale out",
            List.of("metrics eu-west-2"),
            List.of("refused"),
            List.of("row skipped"),
            List.of(new Actuation(dublin, 4, 9, 2, 2)),
            decision.routing(),
            List.of("failed"),
            Optional.of("deadline")),
        Duration.ofMillis(120));
    metrics.failed();
    metrics.standby();
    metrics.leaderChanged(true);
    ExecutionAttributes call = new ExecutionAttributes();
    call.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "DescribeAutoScalingGroups");
    metrics.awsCalls().beforeExecution(null, call);

    Map<String, Map<String, Set<String>>> out = new HashMap<>();
    for (String line : metrics.registry.scrape().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        continue;
      }
      Map<String, Set<String>> labels = out.computeIfAbsent(m.group(1), k -> new HashMap<>());
      if (m.group(2) != null) {
        for (String pair : m.group(2).split(",")) {
          String[] kv = pair.split("=", 2);
          if (kv.length == 2) {
            labels.computeIfAbsent(kv[0], k -> new HashSet<>()).add(kv[1].replace("\"", ""));
          }
        }
      }
    }
    return out;
  }

  /**
   * Every metric and label matcher in {@code expr} that the daemon does not export, one line each.
   */
  private static List<String> unknown(String expr, Map<String, Map<String, Set<String>>> exported) {
    List<String> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
      if (!exported.containsKey(m.group())) {
        out.add("no metric " + m.group() + " in: " + expr);
      }
    }
    Matcher l = MATCHER.matcher(expr);
    while (l.find()) {
      String label = l.group(1);
      List<String> values =
          l.group(2).equals("=~") ? List.of(l.group(3).split("\\|")) : List.of(l.group(3));
      for (String name : names) {
        Set<String> have = exported.getOrDefault(name, Map.of()).get(label);
        if (have != null && !have.containsAll(values)) {
          out.add(name + " has no " + label + " " + values + " (only " + have + ") in: " + expr);
        }
      }
      if (names.stream().noneMatch(n -> exported.getOrDefault(n, Map.of()).containsKey(label))) {
        out.add("no metric with label " + label + " in: " + expr);
      }
    }
    return out;
  }

  @Test
  void everyAlertNamesExportedMetrics_andHasASeverityASummaryAndARunbookThatExists()
      throws Exception {
    var exported = exported();
    Map<String, Object> doc =
        new Yaml().load(Files.readString(MONITORING.resolve("prometheus-rules.yaml")));
    assertThat(doc)
        .containsEntry("apiVersion", "monitoring.coreos.com/v1")
        .containsEntry("kind", "PrometheusRule");
    @SuppressWarnings("unchecked")
    var groups = (List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec")).get("groups");
    List<String> problems = new ArrayList<>();
    Set<String> alerts = new HashSet<>();
    for (var group : groups) {
      @SuppressWarnings("unchecked")
      var rules = (List<Map<String, Object>>) group.get("rules");
      for (var rule : rules) {
        String name = (String) rule.get("alert");
        alerts.add(name);
        problems.addAll(unknown((String) rule.get("expr"), exported));
        @SuppressWarnings("unchecked")
        var labels = (Map<String, String>) rule.get("labels");
        @SuppressWarnings("unchecked")
        var annotations = (Map<String, String>) rule.get("annotations");
        if (!Set.of("page", "ticket").contains(labels.get("severity"))) {
          problems.add(
              name + ": severity " + labels.get("severity") + " is neither page nor ticket");
        }
        if (annotations.getOrDefault("summary", "").isBlank()) {
          problems.add(name + ": no summary");
        }
        if (!Files.isRegularFile(
            Path.of("..").resolve(annotations.getOrDefault("runbook_url", "-")))) {
          problems.add(name + ": runbook " + annotations.get("runbook_url") + " does not exist");
        }
        if (!String.valueOf(rule.get("for")).matches("\\d+[smh]")) {
          problems.add(name + ": 'for' " + rule.get("for") + " is not a duration");
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(alerts)
        .contains(
            "LiffeyNoLeader", "LiffeyTicksFailing", "LiffeyTickStale", "LiffeyForecastTooLow");
  }

  @Test
  void everyDashboardPanelQueriesExportedMetrics() throws Exception {
    var exported = exported();
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> problems = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      if (!ids.add(panel.get("id").asInt())) {
        problems.add("panel id " + panel.get("id") + " twice");
      }
      for (JsonNode target : panel.get("targets")) {
        queries++;
        problems.addAll(unknown(target.get("expr").asText(), exported));
      }
    }
    assertThat(problems).isEmpty();
    assertThat(queries).isGreaterThan(10);
    assertThat(dashboard.get("uid").asText()).isEqualTo("liffey-autoscaler");
  }

  @Test
  void theCheckCatchesAMetricTheDaemonDoesNotExport() {
    assertThat(unknown("sum(liffey_tick_count_total)", exported()))
        .singleElement()
        .asString()
        .startsWith("no metric liffey_tick_count_total");
    assertThat(unknown("sum(liffey_ticks_total{outcome=\"crashed\"})", exported()))
        .singleElement()
        .asString()
        .startsWith("liffey_ticks_total has no outcome [crashed]");
  }
}
