package dev.liffey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a platform engineer runs: {@code npm ci && npx cdk synth} in {@code cdk-app/}, with the
 * pinned CDK CLI, offline and with no AWS account.
 */
class CdkSynthIT {
  @TempDir Path out;

  @Test
  @Timeout(
      value = 20,
      unit = TimeUnit.MINUTES) // npm ci and synth, which CdkCli bounds at 5 and 10 min
  void cdkSynthWithThePinnedCli_producesEveryRegionsStacksAndTheGlobalOnes_withoutErrors()
      throws Exception {
    int exit =
        dev.liffey.it.cdk.CdkCli.synth(
            out.resolve("cdk.out"), out.resolve("synth.log"), java.util.Map.of());

    String log = Files.readString(out.resolve("synth.log"), StandardCharsets.UTF_8);
    assertThat(exit).as("npx cdk synth exit code; log:%n%s", log).isZero();
    assertThat(log).doesNotContain("[Error at").doesNotContain("AwsSolutions-");
    List<String> templates;
    try (Stream<Path> files = Files.list(out.resolve("cdk.out"))) {
      templates =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".template.json"))
              .sorted()
              .toList();
    }
    assertThat(templates)
        .containsExactlyInAnyOrder(
            "Liffey-Control.template.json",
            "Liffey-Dashboard.template.json",
            "Liffey-Routing.template.json",
            "Liffey-eu-west-1-Network.template.json",
            "Liffey-eu-west-1-Relay.template.json",
            "Liffey-eu-west-1-Transcode.template.json",
            "Liffey-eu-west-1-Eks.template.json",
            "Liffey-eu-west-2-Network.template.json",
            "Liffey-eu-west-2-Relay.template.json",
            "Liffey-eu-west-2-Transcode.template.json",
            "Liffey-eu-west-2-Eks.template.json",
            "Liffey-eu-central-1-Network.template.json",
            "Liffey-eu-central-1-Relay.template.json",
            "Liffey-eu-central-1-Transcode.template.json",
            "Liffey-eu-central-1-Eks.template.json");
    String relay = Files.readString(out.resolve("cdk.out/Liffey-eu-west-1-Relay.template.json"));
    assertThat(relay)
        .contains("AWS::AutoScaling::WarmPool")
        .contains("AWS::ElasticLoadBalancingV2::LoadBalancer");
    String manifest = Files.readString(out.resolve("cdk.out/manifest.json"));
    assertThat(manifest).doesNotContain("aws:cdk:error");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void anInvalidConfigIsRefusedBeforeAnyConstruct_theAppExitsTwo_andTheCdkCliOne()
      throws Exception {
    Path bad = out.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(Path.of("..", "edge-regions.yaml"))
            .replace("tickSeconds: 10", "tickSeconds: 0"));

    int exit =
        dev.liffey.it.cdk.CdkCli.synth(
            out.resolve("cdk.out"),
            out.resolve("synth.log"),
            java.util.Map.of("LIFFEY_CONFIG", bad.toString()));

    String log = Files.readString(out.resolve("synth.log"), StandardCharsets.UTF_8);
    assertThat(exit).as(log).isEqualTo(1);
    assertThat(log)
        .contains(bad + ":")
        .contains("scaling.tickSeconds: 0 is out of range [1, 300]")
        .contains("nothing was synthesized")
        .contains("Subprocess exited with error 2");
    assertThat(out.resolve("cdk.out").resolve("manifest.json")).doesNotExist();
  }
}
