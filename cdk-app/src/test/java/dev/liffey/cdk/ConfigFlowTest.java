package dev.liffey.cdk;

import static dev.liffey.cdk.EdgeAppFixture.template;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** edge-regions.yaml is the single source of truth: what changes there changes the stacks. */
class ConfigFlowTest {
  @TempDir Path dir;

  /** The Frankfurt region block of the repository config, re-homed to Stockholm. */
  private static String stockholm(String yaml) {
    int start = yaml.indexOf("  - id: eu-central-1");
    int end = yaml.indexOf("\n# Countries");
    return yaml.substring(start, end)
        .replace("eu-central-1", "eu-north-1")
        .replace("Frankfurt", "Stockholm")
        .replace("10.42.0.0/16", "10.43.0.0/16");
  }

  @Test
  void addingARegionToTheYaml_addsItsNetworkRelayTranscodeAndEksStacks() throws Exception {
    String yaml = EdgeAppFixture.repositoryYaml();
    String withStockholm = yaml.replace("\n# Countries", stockholm(yaml) + "\n# Countries");

    EdgeAppFixture fixture = EdgeAppFixture.fromYaml(withStockholm);

    List<String> stackNames =
        fixture.app.getNode().getChildren().stream()
            .filter(c -> c instanceof Stack)
            .map(c -> ((Stack) c).getStackName())
            .toList();
    assertThat(stackNames)
        .hasSize(19)
        .contains(
            "Liffey-eu-north-1-Network",
            "Liffey-eu-north-1-Relay",
            "Liffey-eu-north-1-Transcode",
            "Liffey-eu-north-1-Eks");
    var north = fixture.edge.region("eu-north-1");
    assertThat(north.relay().getRegion()).isEqualTo("eu-north-1");
    template(north.network())
        .hasResourceProperties(
            "AWS::EC2::VPC",
            Map.of(
                "CidrBlock",
                "10.43.0.0/16",
                "EnableDnsHostnames",
                true,
                "EnableDnsSupport",
                true,
                "InstanceTenancy",
                "default",
                "Tags",
                Match.anyValue()));
    Template subnets = template(north.network());
    for (String zone : List.of("eu-north-1a", "eu-north-1b", "eu-north-1c")) {
      subnets.hasResourceProperties(
          "AWS::EC2::Subnet", Match.objectLike(Map.of("AvailabilityZone", zone)));
    }
    template(north.relay())
        .hasResourceProperties(
            "AWS::AutoScaling::AutoScalingGroup",
            Match.objectLike(
                Map.of(
                    "Tags",
                    Match.arrayWith(
                        List.of(
                            Map.of(
                                "Key",
                                "liffey:region",
                                "Value",
                                "eu-north-1",
                                "PropagateAtLaunch",
                                true))))));
  }

  @Test
  void aJibTarballAsTheAutoscalerImage_isPublishedAsAnImageAsset_andRunByTheDeployment()
      throws Exception {
    Path tarball = Path.of("target", "test-autoscaler-image.tar").toAbsolutePath();
    Files.createDirectories(tarball.getParent());
    Files.writeString(tarball, "stands in for the Jib tarball; only hashed at synth");
    String yaml =
        EdgeAppFixture.repositoryYaml()
            .replace(
                "image: public.ecr.aws/liffey/autoscaler:0.1.0",
                "image: tarball:cdk-app/target/test-autoscaler-image.tar");

    EdgeAppFixture fixture = EdgeAppFixture.fromYaml(yaml);
    Template dublinEks = template(fixture.edge.region("eu-west-1").eks());

    assertThat(EdgeAppFixture.kubernetesManifests(dublinEks))
        .contains("\"image\":\"<token>")
        .doesNotContain("public.ecr.aws/liffey/autoscaler");
    String assembly = fixture.app.synth().getDirectory();
    try (var files = Files.list(Path.of(assembly))) {
      String assets =
          files
              .filter(f -> f.getFileName().toString().equals("Liffey-eu-west-1-Eks.assets.json"))
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .findFirst()
              .orElseThrow();
      assertThat(assets).contains("\"dockerImages\"").contains("docker load -i");
    }
  }

  @Test
  void anInvalidConfigIsRejectedBeforeAnyConstructIsMade_andNothingIsSynthesized()
      throws Exception {
    Path bad = dir.resolve("edge-regions.yaml");
    Files.writeString(
        bad,
        EdgeAppFixture.repositoryYaml()
            .replace("maxInstances: 120", "maxInstances: 2")
            .replace("eu-west-2: 55", "eu-west-2: 256"));
    Path out = Files.createDirectory(dir.resolve("cdk.out"));

    ProcessBuilder cdkSynth = synth(dir);
    cdkSynth.environment().put("LIFFEY_CONFIG", bad.toString());
    cdkSynth.environment().put("CDK_OUTDIR", out.toString());
    Process synth = cdkSynth.start();
    assertThat(synth.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertThat(synth.exitValue()).isEqualTo(2);
    assertThat(stderr)
        .contains("regions[0].relay.minInstances: minInstances 4 is above maxInstances 2")
        .contains("routing.initialWeights.eu-west-2: 256 is out of range [0, 255]")
        .contains("invalid, 3 problems; nothing was synthesized");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void withoutTheEdgeAgentsJar_theAppStopsBeforeAnyConstruct_sayingToBuildItFirst()
      throws Exception {
    // ../edge/target/liffey-edge.jar from here is <dir>/edge/target/liffey-edge.jar: never built
    Path app = Files.createDirectory(dir.resolve("cdk-app"));
    Path out = Files.createDirectory(dir.resolve("cdk.out"));

    ProcessBuilder cdkSynth = synth(app);
    cdkSynth
        .environment()
        .put("LIFFEY_CONFIG", EdgeAppFixture.REPOSITORY_CONFIG.toAbsolutePath().toString());
    cdkSynth.environment().put("CDK_OUTDIR", out.toString());
    Process synth = cdkSynth.start();
    assertThat(synth.waitFor(120, TimeUnit.SECONDS)).isTrue();

    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertThat(synth.exitValue()).isEqualTo(1);
    assertThat(stderr.lines().filter(l -> l.startsWith("cdk-app: ")))
        .containsExactly(
            "cdk-app: the relay agent's jar "
                + dir.resolve("edge/target/liffey-edge.jar").toAbsolutePath().normalize()
                + " does not exist: build it first with 'mvn -B -q install -DskipTests' in the"
                + " repository's root, then synthesize again; nothing was synthesized.");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  /** The CDK app as the CDK CLI runs it, in {@code workdir}, its stderr to dir/stderr.txt. */
  private ProcessBuilder synth(Path workdir) {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            LiffeyCdkApp.class.getName())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("stderr.txt").toFile())
        .directory(workdir.toFile());
  }
}
