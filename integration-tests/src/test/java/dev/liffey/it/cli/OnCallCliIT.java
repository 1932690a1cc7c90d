package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-call's `liffey` jar, as a process, against the emulator, with the autoscaler's loop running
 * beside it.
 */
class OnCallCliIT extends EmulatorTest {
  @TempDir Path dir;

  private LiffeyJar.Result liffey(Path config, String... args) throws Exception {
    return new LiffeyJar(dir, emulator.endpoint()).run(config, args);
  }

  @Test
  void aFreezeHoldsTheRunningAutoscaler_unfreezeReleasesIt_andHistoryShowsWhoAndWhy()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
    Instant[] now = {Instant.now().truncatedTo(ChronoUnit.SECONDS)};
    ControlLoop loop =
        LiveControlLoop.create(edge.config, aws, new NoKubernetes(), () -> now[0], false);
    Map<String, Double> crowd =
        Map.of("IE@eu-west-1", 40_000.0, "IE@eu-west-2", 11_000.0, "GB@eu-west-2", 8_000.0);

    LiffeyJar.Result noTerminal =
        liffey(
            edge.configFile,
            "freeze",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--reason",
            "bot flood on the wallet API");
    assertThat(noTerminal.exit()).isEqualTo(2);
    assertThat(noTerminal.err())
        .startsWith("liffey: refusing to freeze relay in eu-west-1 until ")
        .endsWith(" without confirmation: no terminal to ask on; add --yes\n");

    LiffeyJar.Result frozen =
        liffey(
            edge.configFile,
            "freeze",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--reason",
            "bot flood on the wallet API",
            "--yes");
    assertThat(frozen.exit()).as(frozen.err()).isZero();
    assertThat(frozen.out())
        .startsWith("froze relay in eu-west-1 until ")
        .contains(" (by arn:aws:")
        .endsWith(": bot flood on the wallet API\n");

    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), crowd, Map.of());
    Decision held = loop.tick();
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(4);
    assertThat(held.fleets())
        .anySatisfy(
            p ->
                assertThat(p.reason()).startsWith("hold relay eu-west-1 at 4: frozen by arn:aws:"));

    assertThat(
            liffey(
                    edge.configFile,
                    "unfreeze",
                    "--region",
                    "eu-west-1",
                    "--fleet",
                    "relay",
                    "--reason",
                    "flood blocked by WAF",
                    "--yes")
                .exit())
        .isZero();
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), crowd, Map.of());
    loop.tick();
    assertThat(edge.relayDesired("eu-west-1")).isGreaterThan(4);

    LiffeyJar.Result status = liffey(edge.configFile, "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("eu-west-1 (Dublin)")
        .containsPattern("relay +\\d+ +\\d+ +\\d+ +\\d+ +[\\d,]+ +\\d+%")
        .contains("IE weights: eu-west-1 200 (78%) eu-west-2 55 (22%)")
        .contains("autoscaler's last change: ");

    LiffeyJar.Result history = liffey(edge.configFile, "history", "--since", "1h");
    assertThat(history.exit()).isZero();
    assertThat(history.out())
        .contains("freeze    arn:aws:")
        .contains("why: bot flood on the wallet API")
        .contains("unfreeze  arn:aws:")
        .contains("why: flood blocked by WAF")
        .contains("scale out relay eu-west-1 4→");
  }

  @Test
  void prewarmRaisesCapacityNow_andTheNextAutoscalerTickKeepsIt_whileRouteShiftMovesIrishViewers()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
    Instant[] now = {Instant.now().truncatedTo(ChronoUnit.SECONDS)};
    ControlLoop loop =
        LiveControlLoop.create(edge.config, aws, new NoKubernetes(), () -> now[0], false);

    LiffeyJar.Result prewarm =
        liffey(
            edge.configFile,
            "prewarm",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--capacity",
            "30",
            "--for",
            "2h",
            "--reason",
            "final kicks off at 20:00",
            "--yes");
    assertThat(prewarm.exit()).as(prewarm.err()).isZero();
    assertThat(prewarm.out()).startsWith("prewarm relay eu-west-1: 4→30, held at 30+ until ");
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(30);

    LiffeyJar.Result shift =
        liffey(
            edge.configFile,
            "route",
            "shift",
            "--market",
            "IE",
            "--to",
            "eu-west-2",
            "--percent",
            "100",
            "--for",
            "30m",
            "--reason",
            "Dublin maintenance",
            "--yes");
    assertThat(shift.exit()).as(shift.err()).isZero();
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 0, "eu-west-2", 255));
    assertThat(liffey(edge.configFile, "route", "show").out())
        .contains("eu-west-2      weight 255  100%")
        .contains("pinned: 100% to eu-west-2 until ");

    // A quiet audience: without the floor the relays would shrink; without the pin, weights would
    // go back.
    for (int i = 0; i < 3; i++) {
      now[0] = now[0].plusSeconds(10);
      edge.publish(now[0].minusSeconds(5), Map.of("IE@eu-west-2", 1_000.0), Map.of());
      loop.tick();
    }
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(30);
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 0, "eu-west-2", 255));

    assertThat(
            liffey(edge.configFile, "route", "reset", "--reason", "maintenance over", "--yes")
                .exit())
        .isZero();
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));

    LiffeyJar.Result lifted =
        liffey(
            edge.configFile,
            "prewarm",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--release",
            "--reason",
            "final over",
            "--yes");
    assertThat(lifted.exit()).as(lifted.err()).isZero();
    assertThat(lifted.out()).startsWith("lifted the floor of 30 on relay eu-west-1 (by arn:aws:");
    assertThat(store.read().floors()).isEmpty();
  }

  @Test
  void statusWorksWithTheAutoscalerDown_showingCapacityWeightsAndFreezes() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
    edge.publish(Instant.now().minusSeconds(5), Map.of("IE@eu-west-1", 5_000.0), Map.of());
    assertThat(
            liffey(
                    edge.configFile,
                    "freeze",
                    "--region",
                    "eu-central-1",
                    "--reason",
                    "bot flood",
                    "--yes")
                .exit())
        .isZero();

    LiffeyJar.Result status = liffey(edge.configFile, "status", "--region", "eu-west-1");

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("eu-west-1 (Dublin)")
        .doesNotContain("eu-central-1 (Frankfurt)")
        .containsPattern("relay +4 +4 +0 +0 +5,000 +83% +1,000")
        .containsPattern("FROZEN: every fleet in eu-central-1 until \\S+ by arn:aws:")
        .contains("autoscaler: no decision in the last 24 h (is it running?)");
    LiffeyJar.Result json = liffey(edge.configFile, "status", "-o", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("regions"))
        .hasSize(3);
  }

  @Test
  void anUnknownRegionExitsTwoWithTheChoices_andUnreachableAwsExitsThree() throws Exception {
    Path config = Path.of("..", "edge-regions.yaml").toAbsolutePath();
    LiffeyJar.Result unknown =
        liffey(config, "freeze", "--region", "us-east-1", "--reason", "x", "--yes");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo(
            "liffey: unknown region 'us-east-1': use one of eu-west-1, eu-west-2, eu-central-1\n");

    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            LiffeyJar.JAR.toString(),
            "history",
            "--config",
            config.toString());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("u.txt").toFile());
    pb.environment()
        .putAll(
            Map.of(
                "AWS_ENDPOINT_URL",
                "http://127.0.0.1:9",
                "AWS_ACCESS_KEY_ID",
                "testing",
                "AWS_SECRET_ACCESS_KEY",
                "testing"));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("u.txt")))
        .isEqualTo(
            "liffey: cannot reach AWS at http://127.0.0.1:9:"
                + " connection refused: check that AWS_ENDPOINT_URL (http://127.0.0.1:9) is up\n");
  }
}
