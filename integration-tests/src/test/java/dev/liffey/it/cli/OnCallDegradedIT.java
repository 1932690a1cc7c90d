package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.EdgeMetrics;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.it.emulator.EdgeData;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * On-call's `liffey` jar, as a process, against the emulator with part of the edge missing: it
 * shows the rest.
 */
class OnCallDegradedIT extends EmulatorTest {
  @TempDir Path dir;

  private LiffeyJar.Result liffey(Path config, String... args) throws Exception {
    return new LiffeyJar(dir, emulator.endpoint()).run(config, args);
  }

  @Test
  void statusWithoutTheControlTable_showsGroupsAndWeights_namesTheTable_andExitsOne()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    edge.publish(Instant.now().minusSeconds(5), Map.of("IE@eu-west-1", 5_000.0), Map.of());
    // Of Dublin's Irish viewers, 1,250 have players subscribed to the relays' reconnect event.
    EdgeData.put(
        aws.cloudWatch("eu-west-1"),
        EdgeData.datum(
                EdgeMetrics.FOLLOWING_RECONNECT,
                Metrics.periodStart(Instant.now().minusSeconds(5)),
                EdgeMetrics.MARKET,
                "IE",
                EdgeMetrics.REGION,
                "eu-west-1")
            .value(1_250.0)
            .unit(StandardUnit.COUNT)
            .build());

    LiffeyJar.Result status = liffey(edge.configFile, "status", "--region", "eu-west-1");

    assertThat(status.exit()).as(status.err()).isEqualTo(1);
    assertThat(status.out())
        .contains("eu-west-1 (Dublin)")
        .containsPattern("relay +4 +4 +0 +0 +5,000 +83% +1,000")
        // Every viewer's p95, and beside it the relays taking joins', which the router steers by.
        .containsPattern(
            "edge latency p95 ms: \\{[A-Z]{2}=25, [A-Z]{2}=25\\}   joins: \\{[A-Z]{2}=25,"
                + " [A-Z]{2}=25\\}")
        .contains("  viewers following the reconnect event: {IE=1250}\n")
        .contains("IE weights: eu-west-1 200 (78%) eu-west-2 55 (22%)")
        .contains(
            "control table not read: floors, freezes, pins, overrides, drains and added events unknown")
        .contains("autoscaler's last change: unknown (audit log not read)");
    assertThat(status.err())
        .isEqualTo(
            "liffey: cannot read the control table and the audit log: control table"
                + " liffey-control not found in eu-west-1: deploy the control stack (cdk-app), or run liffey-autoscaler"
                + " --create-control-table\n");

    LiffeyJar.Result json = liffey(edge.configFile, "status", "-o", "json");
    assertThat(json.exit()).isEqualTo(1);
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(doc.get("regions")).hasSize(3);
    assertThat(doc.get("regions").get(0).get("joinLatencyP95Millis").get("IE").asInt())
        .isEqualTo(25);
    assertThat(doc.get("regions").get(0).get("followingReconnect").get("IE").asInt())
        .isEqualTo(1_250);
    assertThat(doc.get("floors").isNull()).isTrue();
    assertThat(doc.get("failures").get(0).asText())
        .startsWith("cannot read the control table and the audit log:");
  }

  @Test
  void statusWithAnUnknownHostedZone_showsCapacityAndTheControlTable_andNamesTheZone()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
    Path wrongZone = dir.resolve("wrong-zone.yaml");
    Files.writeString(
        wrongZone,
        Files.readString(edge.configFile)
            .replace(edge.config.routing().hostedZoneId(), "Z0NOSUCHZONE0000000001"));
    assertThat(
            liffey(
                    wrongZone,
                    "freeze",
                    "--region",
                    "eu-central-1",
                    "--reason",
                    "bot flood",
                    "--yes")
                .exit())
        .isZero();

    LiffeyJar.Result status = liffey(wrongZone, "status");

    assertThat(status.exit()).as(status.err()).isEqualTo(1);
    assertThat(status.out())
        .containsPattern("relay +4 +4 ")
        .contains("weights: not read")
        .containsPattern("FROZEN: every fleet in eu-central-1 until \\S+ by arn:aws:");
    assertThat(status.err())
        .isEqualTo(
            "liffey: cannot read the IE weights: hosted zone Z0NOSUCHZONE0000000001 not"
                + " found: deploy Liffey-Routing, or fix routing.hostedZoneId in edge-regions.yaml\n");
  }

  @Test
  void planWithoutTheControlTable_plansTheRest_andSaysWhatItLeftOut() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    edge.publish(Instant.now().minusSeconds(5), Map.of("IE@eu-west-1", 40_000.0), Map.of());

    LiffeyJar.Result plan = liffey(edge.configFile, "plan", "--region", "eu-west-1");

    assertThat(plan.exit()).as(plan.err()).isEqualTo(1);
    assertThat(plan.out())
        .startsWith("plan at ")
        .contains("scale out relay eu-west-1 4→")
        .contains(
            "planned without floors, freezes, overrides, pins or drains: the control table was not read");
    assertThat(plan.err())
        .isEqualTo(
            "liffey: cannot read the control table: control table liffey-control not found"
                + " in eu-west-1: deploy the control stack (cdk-app), or run liffey-autoscaler --create-control-table\n");
    assertThat(edge.relayDesired("eu-west-1")).as("plan changes nothing").isEqualTo(4);
  }

  @Test
  void controlCharactersInAReasonAreShownEscaped_neverSentToTheTerminal() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
    String hostile =
        "\u001b[2J\u001b[31mall clear\u001b[0m\n2026-12-01T20:00:00Z  unfreeze  arn:aws:forged";
    assertThat(
            liffey(edge.configFile, "freeze", "--region", "eu-west-2", "--reason", hostile, "--yes")
                .exit())
        .isZero();

    LiffeyJar.Result history = liffey(edge.configFile, "history", "--since", "1h");
    LiffeyJar.Result status = liffey(edge.configFile, "status", "--region", "eu-west-2");

    String escaped =
        "\\e[2J\\e[31mall clear\\e[0m\\n2026-12-01T20:00:00Z  unfreeze  arn:aws:forged";
    assertThat(history.out())
        .contains("why: " + escaped)
        .doesNotContain("\u001b")
        .doesNotContain("\nforged");
    assertThat(status.out())
        .containsPattern("FROZEN: every fleet in eu-west-2 until \\S+ by arn:aws:")
        .contains("(" + escaped + ")")
        .doesNotContain("\u001b");
    LiffeyJar.Result json = liffey(edge.configFile, "history", "--since", "1h", "-o", "json");
    assertThat(json.out()).contains("\\u001B[2J").doesNotContain("\u001b");
  }
}
