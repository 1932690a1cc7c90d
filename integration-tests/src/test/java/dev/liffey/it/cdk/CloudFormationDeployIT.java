package dev.liffey.it.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Deploys the synthesized templates (control table, Irish records, Dublin's network, relays and GPU
 * transcoders) into the emulator through CloudFormation, reports which resource types it accepted
 * ({@code target/cloudformation-report.md}), and runs the adapters against what was created.
 */
class CloudFormationDeployIT extends EmulatorTest {
  static final String ACCOUNT = "123456789012";
  static final List<String> STACKS =
      List.of(
          "Liffey-Control",
          "Liffey-Routing",
          "Liffey-eu-west-1-Network",
          "Liffey-eu-west-1-Relay",
          "Liffey-eu-west-1-Transcode");
  @TempDir Path dir;

  @Test
  @Timeout(
      value = 20,
      unit = TimeUnit.MINUTES) // npm ci and synth (CdkCli: 5 and 10 min), then the deploys
  void theSynthesizedStacksDeployIntoTheEmulator_asFarAsItGoes_andTheDaemonFindsWhatWasCreated()
      throws Exception {
    String zoneId =
        aws.route53()
            .createHostedZone(
                b ->
                    b.name(config.routing().hostedZone())
                        .callerReference("cfn-" + System.nanoTime()))
            .hostedZone()
            .id()
            .replace("/hostedzone/", "");
    Path edgeFile = dir.resolve("edge-regions.yaml");
    Files.writeString(
        edgeFile, Files.readString(REPO_CONFIG).replace(config.routing().hostedZoneId(), zoneId));
    EdgeConfig edge = new EdgeConfigLoader().load(edgeFile).config();
    Path out = dir.resolve("cdk.out");
    int synth =
        CdkCli.synth(
            out,
            dir.resolve("synth.log"),
            Map.of("LIFFEY_CONFIG", edgeFile.toString(), "CDK_DEFAULT_ACCOUNT", ACCOUNT));
    assertThat(synth).as(Files.readString(dir.resolve("synth.log"))).isZero();

    StringBuilder report =
        new StringBuilder(
            "| stack | resource type | resources | created | failed |\n"
                + "| --- | --- | ---: | ---: | ---: |\n");
    Map<String, String> stackStatus = new TreeMap<>();
    try (CloudFormationClient cfn =
            CloudFormationClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(emulator.endpoint())
                .build();
        SsmClient ssm =
            SsmClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(emulator.endpoint())
                .build();
        S3Client s3 =
            S3Client.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(emulator.endpoint())
                .forcePathStyle(true)
                .build()) {
      // What cdk bootstrap would have put; AWS's public /aws/service parameters are the emulator's
      // own.
      put(ssm, "/cdk-bootstrap/hnb659fds/version", "30");
      s3.createBucket(
          b ->
              b.bucket("liffey-templates")
                  .createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));

      for (String stack : STACKS) {
        Path template = out.resolve(stack + ".template.json");
        s3.putObject(
            b -> b.bucket("liffey-templates").key(stack + ".json"), RequestBody.fromFile(template));
        String status;
        try {
          cfn.createStack(
              b ->
                  b.stackName(stack)
                      .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM)
                      .templateURL("https://s3.amazonaws.com/liffey-templates/" + stack + ".json"));
          status = waitForStack(cfn, stack);
        } catch (RuntimeException e) {
          status = "rejected: " + e.getMessage().replaceAll("\\s+", " ");
        }
        stackStatus.put(stack, status);
        report.append(resourceRows(cfn, stack, template));
      }
    }
    boolean table =
        aws.dynamoDb("eu-west-1").listTables().tableNames().contains(edge.control().tableName());
    stackStatus.put(
        "Liffey-Control",
        stackStatus.get("Liffey-Control")
            + "; table "
            + edge.control().tableName()
            + (table
                ? " exists"
                : " was not created (the daemon's --create-control-table makes it)"));
    String markdown =
        "Stack outcomes:\n\n"
            + stackStatus.entrySet().stream()
                .map(e -> "- `" + e.getKey() + "`: " + e.getValue())
                .reduce("", (a, b) -> a + b + "\n")
            + "\n"
            + report;
    Files.writeString(Path.of("target", "cloudformation-report.md"), markdown);
    System.err.println("[liffey-it] CloudFormation in the emulator:\n" + markdown);

    // The Irish records stack deploys, and the routing actuator reads the weights it set.
    assertThat(stackStatus.get("Liffey-Routing")).isEqualTo("CREATE_COMPLETE");
    assertThat(stackStatus.get("Liffey-eu-west-1-Network")).isEqualTo("CREATE_COMPLETE");
    assertThat(new Route53RoutingActuator(edge.routing(), aws.route53()).weights())
        .isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));
    // Whatever relay group CloudFormation made carries the tags the autoscaler finds it by.
    if (stackStatus.get("Liffey-eu-west-1-Relay").equals("CREATE_COMPLETE")) {
      List<FleetState> fleets = new AutoScalingFleetActuator(edge, aws::autoScaling).fleets();
      assertThat(fleets).extracting(FleetState::id).contains(FleetId.relay("eu-west-1"));
    }
  }

  private static void put(SsmClient ssm, String name, String value) {
    ssm.putParameter(b -> b.name(name).value(value).type("String").overwrite(true));
  }

  private static String waitForStack(CloudFormationClient cfn, String stack)
      throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      var s = cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0);
      String status = s.stackStatusAsString();
      if (!status.endsWith("_IN_PROGRESS")) {
        return status + (s.stackStatusReason() == null ? "" : " (" + s.stackStatusReason() + ")");
      }
      Thread.sleep(500);
    }
    return "still in progress after 60 s";
  }

  /** Per resource type of the template: how many resources, how many created, how many failed. */
  private static String resourceRows(CloudFormationClient cfn, String stack, Path template)
      throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(template.toFile());
    Map<String, int[]> byType = new TreeMap<>();
    Map<String, String> typeOf = new TreeMap<>();
    json.get("Resources")
        .fields()
        .forEachRemaining(
            e -> {
              typeOf.put(e.getKey(), e.getValue().get("Type").asText());
              byType.computeIfAbsent(e.getValue().get("Type").asText(), t -> new int[3])[0]++;
            });
    List<StackResourceSummary> resources = new ArrayList<>();
    try {
      cfn.listStackResourcesPaginator(b -> b.stackName(stack))
          .stackResourceSummaries()
          .forEach(resources::add);
    } catch (RuntimeException e) {
      // the stack was rejected outright: nothing was created
    }
    for (StackResourceSummary r : resources) {
      String type = r.logicalResourceId() == null ? null : typeOf.get(r.logicalResourceId());
      if (type == null || r.resourceStatusAsString() == null) {
        continue; // not a resource of the template (the emulator lists extras)
      }
      int[] counts = byType.computeIfAbsent(type, t -> new int[3]);
      if (r.resourceStatusAsString().endsWith("COMPLETE")) {
        counts[1]++;
      } else if (r.resourceStatusAsString().endsWith("FAILED")) {
        counts[2]++;
      }
    }
    StringBuilder rows = new StringBuilder();
    byType.forEach(
        (type, c) ->
            rows.append("| ")
                .append(stack)
                .append(" | ")
                .append(type)
                .append(" | ")
                .append(c[0])
                .append(" | ")
                .append(c[1])
                .append(" | ")
                .append(c[2])
                .append(" |\n"));
    return rows.toString();
  }
}
