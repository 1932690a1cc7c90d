package dev.liffey.cdk;

import static dev.liffey.cdk.EdgeAppFixture.actions;
import static dev.liffey.cdk.EdgeAppFixture.ingress;
import static dev.liffey.cdk.EdgeAppFixture.statements;
import static dev.liffey.cdk.EdgeAppFixture.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.config.Region;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The GPU groups as deployed from the repository's edge-regions.yaml: every instance runs FFmpeg
 * and the transcoder agent, reachable where studios and relays need it and nowhere else, with a
 * role that does what the agent does and no more, and the hooks it completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180) // synthesis and cdk-nag through jsii
class TranscodersDeployedTest {
  private EdgeAppFixture fixture;
  private Region dublin;
  private Template transcode;
  private Template relay;

  @BeforeAll
  @Timeout(180)
  void synthesize() throws Exception {
    fixture = EdgeAppFixture.repository();
    dublin = fixture.config.region("eu-west-1");
    transcode = template(fixture.edge.region("eu-west-1").transcode());
    relay = template(fixture.edge.region("eu-west-1").relay());
  }

  @Test
  void studiosReachSrtIngestAndTheAgentsApi_fromTheVpcOnly_andRelaysTakeTheRenditionsRtp() {
    transcode.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "SecurityGroupIngress",
                List.of(
                    ingress("10.40.0.0/16", "udp", 9000, 9099),
                    ingress("10.40.0.0/16", "tcp", 7090, 7090)))));
    // Janus picks a mountpoint's port in the streaming plugin's range, which only the VPC reaches.
    relay.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "SecurityGroupIngress",
                Match.arrayWith(List.of(ingress("10.40.0.0/16", "udp", 10000, 19999))))));
    assertThat(EdgeAppFixture.userData(relay))
        .contains(
            "cat > /etc/janus/janus.plugin.streaming.jcfg <<'JCFG'\n"
                + "general: {\n"
                + "  rtp_port_range = \"10000-19999\"\n"
                + "}\n");
  }

  @Test
  void everyGpuGroupRunsTheAgentOnTheDriverImage_withItsOwnSlotsAndTheRegionsPreferenceOrder() {
    transcode.hasParameter(
        "*",
        EdgeAppFixture.imageParameter(
            "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04"
                + "/latest/ami-id"));
    String userData = transcode.toJSON().toString();
    for (var pool : dublin.transcode()) {
      assertThat(userData).contains("--slots " + pool.streamsPerInstance() + " \\");
    }
    assertThat(userData)
        .contains("--prefer-types g6.2xlarge,g5.2xlarge,g4dn.2xlarge \\")
        .contains("--encoder nvenc-h264 \\")
        .contains("--control-table liffey-control --control-region eu-west-1 \\")
        .contains("--lifecycle-hook liffey-drain \\")
        .contains("apt-get install -y ffmpeg openjdk-17-jre-headless curl")
        .doesNotContain("not in this image");
  }

  @Test
  void eachGroupHoldsNewInstancesUntilTheAgentAnswers_andLetsTheAgentHandItsStreamsOver() {
    int groups = dublin.transcode().size();
    transcode.resourceCountIs("AWS::AutoScaling::LifecycleHook", 2 * groups);
    assertThat(
            hooks(
                Map.of(
                    "LifecycleHookName",
                    "liffey-boot",
                    "LifecycleTransition",
                    "autoscaling:EC2_INSTANCE_LAUNCHING",
                    "DefaultResult",
                    "ABANDON")))
        .hasSize(groups);
    assertThat(
            hooks(
                Map.of(
                    "LifecycleHookName",
                    "liffey-drain",
                    "LifecycleTransition",
                    "autoscaling:EC2_INSTANCE_TERMINATING",
                    "HeartbeatTimeout",
                    300,
                    "DefaultResult",
                    "CONTINUE")))
        .hasSize(groups);
    // one statement a group, naming that group, held to this region's transcoders
    List<Map<String, Object>> finishing =
        statements(transcode).stream().filter(s -> "FinishOwnDrain".equals(s.get("Sid"))).toList();
    assertThat(finishing).hasSize(groups);
    assertThat(finishing)
        .allSatisfy(
            s ->
                assertThat(s.get("Condition"))
                    .isEqualTo(EdgeAppFixture.ownGroups("eu-west-1", "transcode")));
    assertThat(finishing.stream().map(s -> s.get("Resource").toString()).distinct())
        .hasSize(groups);
  }

  /** The transcode stack's lifecycle hooks with these properties. */
  private Map<String, Map<String, Object>> hooks(Map<String, Object> properties) {
    return transcode.findResources(
        "AWS::AutoScaling::LifecycleHook",
        Match.objectLike(Map.of("Properties", Match.objectLike(properties))));
  }

  private Map<String, Object> bySid(String sid) {
    return statements(transcode).stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid));
  }

  @Test
  void theRoleWritesOnlyItsRegionsRegistry_andReadsOnlyTheLadderPlansAttributes() {
    Map<String, Object> registry = bySid("AnnounceInTheRegistry");
    assertThat(actions(registry))
        .containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query");
    assertThat(registry.get("Resource").toString()).endsWith(":table/liffey-control]]}");
    assertThat(registry.get("Condition"))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of("dynamodb:LeadingKeys", List.of("transcoders#eu-west-1"))));

    Map<String, Object> plan = bySid("ReadTheLadderPlan");
    assertThat(actions(plan)).containsExactly("dynamodb:GetItem");
    assertThat(plan.get("Condition"))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of(
                    "dynamodb:LeadingKeys",
                    List.of("control"),
                    "dynamodb:Attributes",
                    List.of("pk", "sk", "streamsByLadder", "waiting", "forced")),
                "StringEqualsIfExists",
                Map.of("dynamodb:Select", "SPECIFIC_ATTRIBUTES")));
    assertThat(statements(transcode))
        .filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:")))
        .hasSize(2);
    assertThat(statements(transcode))
        .anySatisfy(s -> assertThat(actions(s)).contains("s3:GetObject*"))
        .anySatisfy(
            s -> assertThat(actions(s)).containsExactly("autoscaling:DescribeAutoScalingInstances"))
        .noneSatisfy(s -> assertThat(actions(s)).contains("autoscaling:SetDesiredCapacity"));
  }
}
