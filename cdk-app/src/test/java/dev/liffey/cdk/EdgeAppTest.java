package dev.liffey.cdk;

import static dev.liffey.cdk.EdgeAppFixture.actions;
import static dev.liffey.cdk.EdgeAppFixture.ingress;
import static dev.liffey.cdk.EdgeAppFixture.kubernetesManifests;
import static dev.liffey.cdk.EdgeAppFixture.statements;
import static dev.liffey.cdk.EdgeAppFixture.template;
import static dev.liffey.cdk.EdgeAppFixture.userData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.config.Region;
import dev.liffey.core.config.TranscodePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stacks synthesized from the repository's edge-regions.yaml, as a reviewer would check them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180) // synthesis and cdk-nag through jsii: 17-23 s on a busy 2-core machine
class EdgeAppTest {
  private EdgeAppFixture fixture;
  private Template dublinRelay;
  private Template dublinTranscode;
  private Template dublinEks;
  private Template londonEks;
  private Template routing;
  private Template control;

  @BeforeAll
  @Timeout(180)
  void synthesize() throws Exception {
    fixture = EdgeAppFixture.repository();
    dublinRelay = template(fixture.edge.region("eu-west-1").relay());
    dublinTranscode = template(fixture.edge.region("eu-west-1").transcode());
    dublinEks = template(fixture.edge.region("eu-west-1").eks());
    londonEks = template(fixture.edge.region("eu-west-2").eks());
    routing = template(fixture.edge.routing());
    control = template(fixture.edge.control());
  }

  @Test
  void theDashboardSumsEachCountOverOnePublishingPeriod_viewersBesideThoseFollowingReconnect() {
    String body = template(fixture.edge.dashboard()).toJSON().toString();
    // A relay publishes its count every 10 s: summed over a minute, each viewer counted six times.
    List<String> counts = series(body, "ConcurrentViewers\\W+Market");
    List<String> following = series(body, "ViewersFollowingReconnect");
    assertThat(counts).hasSize(following.size()).isNotEmpty();
    assertThat(counts).allMatch(m -> m.matches("(?s).*period\\W+10\\b.*stat\\W+Sum.*"));
    assertThat(following)
        .allMatch(m -> m.matches("(?s).*following reconnect.*period\\W+10\\b.*stat\\W+Sum.*"));
    // Each transcoder publishes its own streams: the region's are their Sum, not the busiest's.
    assertThat(series(body, "LiveStreams"))
        .hasSize(3)
        .allMatch(m -> m.matches("(?s).*period\\W+10\\b.*stat\\W+Sum.*"));
  }

  /** Each of a dashboard body's metric arrays naming {@code metric}, up to its closing bracket. */
  private static List<String> series(String body, String metric) {
    return java.util.regex.Pattern.compile(metric + "[^\\]]*")
        .matcher(body)
        .results()
        .map(java.util.regex.MatchResult::group)
        .toList();
  }

  private List<Stack> allStacks() {
    return fixture.app.getNode().getChildren().stream()
        .filter(c -> c instanceof Stack)
        .map(c -> (Stack) c)
        .toList();
  }

  /**
   * EC2 refuses a security group, or a rule, whose description has a character outside this set (an
   * apostrophe, say) when the stack deploys; synthesis and cdk-nag let it through.
   */
  private static final java.util.regex.Pattern EC2_DESCRIPTION =
      java.util.regex.Pattern.compile("[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]{0,255}");

  @Test
  @SuppressWarnings("unchecked")
  void everySecurityGroupAndRuleDescriptionIsOneEc2Accepts() {
    List<String> refused = new java.util.ArrayList<>();
    int seen = 0;
    for (Stack stack : allStacks()) {
      Template t = template(stack);
      List<Object> descriptions = new java.util.ArrayList<>();
      for (Map<String, Object> r : t.findResources("AWS::EC2::SecurityGroup").values()) {
        Map<String, Object> p = (Map<String, Object>) r.get("Properties");
        descriptions.add(p.get("GroupDescription"));
        for (String rules : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
          for (Object rule : (List<Object>) p.getOrDefault(rules, List.of())) {
            descriptions.add(((Map<String, Object>) rule).get("Description"));
          }
        }
      }
      for (String type :
          List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
        for (Map<String, Object> r : t.findResources(type).values()) {
          descriptions.add(((Map<String, Object>) r.get("Properties")).get("Description"));
        }
      }
      for (Object d : descriptions) {
        if (d instanceof String text) {
          seen++;
          if (!EC2_DESCRIPTION.matcher(text).matches()) {
            refused.add(stack.getStackName() + ": " + text);
          }
        }
      }
    }
    assertThat(seen).as("descriptions checked").isGreaterThan(20);
    assertThat(refused).as("descriptions EC2 refuses").isEmpty();
  }

  @Test
  void everyConfiguredRegionGetsItsStacks_withGroupsAWarmPoolAClusterAndALoadBalancer() {
    assertThat(fixture.edge.regionIds()).containsExactly("eu-west-1", "eu-west-2", "eu-central-1");
    for (String region : fixture.edge.regionIds()) {
      var stacks = fixture.edge.region(region);
      Template relay = template(stacks.relay());
      Template transcode = template(stacks.transcode());
      int groups =
          relay.findResources("AWS::AutoScaling::AutoScalingGroup").size()
              + transcode.findResources("AWS::AutoScaling::AutoScalingGroup").size();
      assertThat(groups).as("Auto Scaling groups in %s", region).isGreaterThanOrEqualTo(2);
      relay.resourceCountIs("AWS::AutoScaling::WarmPool", 1);
      relay.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 2);
      template(stacks.eks()).resourceCountIs("AWS::EKS::Cluster", 1);
      template(stacks.network()).resourceCountIs("AWS::EC2::VPC", 1);
      assertThat(stacks.relay().getRegion()).isEqualTo(region);
    }
  }

  @Test
  void cdkNagFindsNoUnacknowledgedErrorsOrWarnings_inAnyStack() {
    assertThat(allStacks()).hasSize(15);
    for (Stack stack : allStacks()) {
      // One synthesis of the stack's annotations serves both questions (each is a jsii round
      // trip over the whole stack).
      Annotations annotations = Annotations.fromStack(stack);
      assertThat(annotations.findError("*", Match.anyValue()))
          .as("errors in %s", stack.getStackName())
          .isEmpty();
      assertThat(annotations.findWarning("*", Match.anyValue()))
          .as("warnings in %s", stack.getStackName())
          .isEmpty();
    }
  }

  @Test
  void launchTemplatesRequireImdsv2_andEncryptTheirVolumes() {
    for (Template t : List.of(dublinRelay, dublinTranscode)) {
      t.allResourcesProperties(
          "AWS::EC2::LaunchTemplate",
          Match.objectLike(
              Map.of(
                  "LaunchTemplateData",
                  Match.objectLike(
                      Map.of(
                          "MetadataOptions", Match.objectLike(Map.of("HttpTokens", "required")),
                          "BlockDeviceMappings",
                              List.of(
                                  Match.objectLike(
                                      Map.of(
                                          "Ebs",
                                          Match.objectLike(
                                              Map.of(
                                                  "Encrypted", true, "VolumeType", "gp3"))))))))));
    }
  }

  @Test
  void relayGroupCarriesTheTagsTheAutoscalerFindsItBy_andLeavesDesiredCapacityToTheAutoscaler() {
    dublinRelay.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "MinSize",
                "4",
                "MaxSize",
                "120",
                "DesiredCapacity",
                Match.absent(),
                "Tags",
                Match.arrayWith(
                    List.of(
                        Map.of("Key", "liffey:fleet", "Value", "relay", "PropagateAtLaunch", true),
                        Map.of("Key", "liffey:managed", "Value", "true", "PropagateAtLaunch", true),
                        Map.of(
                            "Key",
                            "liffey:region",
                            "Value",
                            "eu-west-1",
                            "PropagateAtLaunch",
                            true))))));
  }

  @Test
  void relayWarmPoolAndDrainHookFollowTheConfig() {
    dublinRelay.hasResourceProperties(
        "AWS::AutoScaling::WarmPool",
        Map.of(
            "AutoScalingGroupName",
            Match.anyValue(),
            "MinSize",
            10,
            "MaxGroupPreparedCapacity",
            14,
            "PoolState",
            "Stopped",
            "InstanceReusePolicy",
            Map.of("ReuseOnScaleIn", true)));
    dublinRelay.hasResourceProperties(
        "AWS::AutoScaling::LifecycleHook",
        Match.objectLike(
            Map.of(
                "LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING",
                "HeartbeatTimeout", 300,
                "DefaultResult", "CONTINUE")));
  }

  @Test
  void mediaLoadBalancerCarriesTurnOnly_noMediaListener_andCrossZoneOff() {
    for (Object[] listener : List.of(new Object[] {"UDP", 3478}, new Object[] {"TCP", 443})) {
      dublinRelay.hasResourceProperties(
          "AWS::ElasticLoadBalancingV2::Listener",
          Match.objectLike(Map.of("Protocol", listener[0], "Port", listener[1])));
    }
    dublinRelay.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::Listener",
        Match.objectLike(Map.of("Protocol", "HTTPS", "Port", 443)));
    // TURN/UDP, TURN/TCP and the signalling HTTPS listener; media goes to each relay's own address
    dublinRelay.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 3);
    assertThat(
            dublinRelay.findResources(
                "AWS::ElasticLoadBalancingV2::Listener",
                Match.objectLike(
                    Map.of("Properties", Match.objectLike(Map.of("Protocol", "UDP"))))))
        .hasSize(1);
    dublinRelay.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Match.objectLike(
            Map.of(
                "Type",
                "network",
                "LoadBalancerAttributes",
                Match.arrayWith(
                    List.of(
                        Map.of("Key", "load_balancing.cross_zone.enabled", "Value", "false"))))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void mediaLoadBalancersTcp443ListenerForwardsToCoturnsTurnPort3478_asTheUdpListenerDoes() {
    for (String protocol : List.of("UDP", "TCP")) {
      Map<String, Map<String, Object>> targets =
          dublinRelay.findResources(
              "AWS::ElasticLoadBalancingV2::TargetGroup",
              Match.objectLike(
                  Map.of(
                      "Properties", Match.objectLike(Map.of("Protocol", protocol, "Port", 3478)))));
      assertThat(targets).as("%s target groups on 3478", protocol).hasSize(1);
      String targetGroup = targets.keySet().iterator().next();
      int listenerPort = protocol.equals("UDP") ? 3478 : 443;
      Map<String, Map<String, Object>> listeners =
          dublinRelay.findResources(
              "AWS::ElasticLoadBalancingV2::Listener",
              Match.objectLike(
                  Map.of(
                      "Properties",
                      Match.objectLike(
                          Map.of(
                              "Protocol",
                              protocol,
                              "Port",
                              listenerPort,
                              "DefaultActions",
                              List.of(
                                  Match.objectLike(
                                      Map.of(
                                          "Type",
                                          "forward",
                                          "TargetGroupArn",
                                          Map.of("Ref", targetGroup)))))))));
      assertThat(listeners).as("%s listener on %d", protocol, listenerPort).hasSize(1);
    }
    assertThat(
            dublinRelay.findResources(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Port", 443))))))
        .isEmpty();
  }

  @Test
  void theLatencyAlarmReadsTheP95OfEveryViewersRoundTrip_notTheWorstOne() {
    dublinRelay.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of("MetricName", "EdgeLatencyP95", "ExtendedStatistic", "p95", "Threshold", 150)));
    assertThat(
            dublinRelay.findResources(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(
                            Map.of("MetricName", "EdgeLatencyP95", "Statistic", "Maximum"))))))
        .isEmpty();
  }

  @Test
  void relaysRunInPublicSubnetsWithTheirOwnPublicAddress_whileGpuGroupsStayPrivate() {
    dublinRelay.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "NetworkInterfaces",
                        List.of(
                            Match.objectLike(
                                Map.of("DeviceIndex", 0, "AssociatePublicIpAddress", true))))))));
    dublinTranscode.allResourcesProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(Map.of("NetworkInterfaces", Match.absent())))));
    String relaySubnets = subnetsOf(dublinRelay);
    assertThat(relaySubnets)
        .containsIgnoringCase("publicSubnet")
        .doesNotContainIgnoringCase("privateSubnet");
    String gpuSubnets = subnetsOf(dublinTranscode);
    assertThat(gpuSubnets)
        .containsIgnoringCase("privateSubnet")
        .doesNotContainIgnoringCase("publicSubnet");
  }

  /** Every Auto Scaling group's VPCZoneIdentifier, as JSON (imports from the network stack). */
  private static String subnetsOf(Template template) {
    return template.findResources("AWS::AutoScaling::AutoScalingGroup").values().stream()
        .map(r -> ((Map<?, ?>) r.get("Properties")).get("VPCZoneIdentifier").toString())
        .reduce("", String::concat);
  }

  @Test
  void relaysBootTheOfficialDebian12Image_throughItsPublicParameter() {
    dublinRelay.hasParameter(
        "*", EdgeAppFixture.imageParameter("/aws/service/debian/release/12/latest/amd64"));
    assertThat(
            dublinTranscode.findParameters(
                "*",
                Match.objectLike(Map.of("Default", "/aws/service/debian/release/12/latest/amd64"))))
        .isEmpty();
  }

  @Test
  void viewersReachJanusIcePortsOnEveryRelay_andOnlyTheVpcReachesTheAgentAndTheStreamsRtp() {
    dublinRelay.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "SecurityGroupIngress",
                Match.arrayWith(
                    List.of(
                        ingress("0.0.0.0/0", "udp", 20000, 40000),
                        ingress("10.40.0.0/16", "tcp", 8443, 8443),
                        ingress("10.40.0.0/16", "udp", 5004, 5004),
                        ingress("10.40.0.0/16", "udp", 5002, 5002))))));
    assertThat(dublinRelay.toJSON().toString()).doesNotContain("7882");
  }

  /** The relays' security group's ingress rules. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> relayIngress() {
    Map<String, Map<String, Object>> groups =
        dublinRelay.findResources(
            "AWS::EC2::SecurityGroup",
            Match.objectLike(
                Map.of(
                    "Properties",
                    Match.objectLike(
                        Map.of("GroupDescription", Match.stringLikeRegexp("^WebRTC relays.*"))))));
    assertThat(groups).hasSize(1);
    return (List<Map<String, Object>>)
        ((Map<String, Object>) groups.values().iterator().next().get("Properties"))
            .get("SecurityGroupIngress");
  }

  @Test
  void viewersReachCoturnOn3478OverUdpAndTcp_andItsRelayPorts_butNoRelayListensOn443() {
    List<String> fromAnywhere =
        relayIngress().stream()
            .filter(r -> "0.0.0.0/0".equals(r.get("CidrIp")))
            .map(r -> r.get("IpProtocol") + " " + r.get("FromPort") + "-" + r.get("ToPort"))
            .toList();
    assertThat(fromAnywhere)
        .containsExactlyInAnyOrder(
            "udp 3478-3478", // TURN/UDP, through the NLB
            "tcp 3478-3478", // TURN/TCP, through the NLB's 443
            "udp 20000-40000", // Janus's ICE media
            "udp 49152-65535"); // coturn's relay ports: Janus's media to viewers' relayed addresses
    assertThat(relayIngress()).noneMatch(r -> Integer.valueOf(443).equals(r.get("FromPort")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachRegionHasAGeneratedTurnSecret_whichOnlyItsRelaysMayRead_andWhichIsNotRotated() {
    Map<String, Map<String, Object>> secrets =
        dublinRelay.findResources("AWS::SecretsManager::Secret");
    assertThat(secrets).hasSize(1);
    String secret = secrets.keySet().iterator().next();
    Map<String, Object> resource = secrets.get(secret);
    Map<String, Object> generate =
        (Map<String, Object>)
            ((Map<String, Object>) resource.get("Properties")).get("GenerateSecretString");
    assertThat(generate).containsEntry("ExcludePunctuation", true);
    assertThat((Integer) generate.get("PasswordLength")).isGreaterThanOrEqualTo(40);
    dublinRelay.resourceCountIs("AWS::SecretsManager::RotationSchedule", 0);

    List<Map<String, Object>> reading =
        statements(dublinRelay).stream()
            .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
            .toList();
    assertThat(reading).hasSize(1);
    assertThat(actions(reading.get(0))).contains("secretsmanager:GetSecretValue");
    assertThat(reading.get(0).get("Resource")).isEqualTo(Map.of("Ref", secret));
    dublinRelay.hasResourceProperties(
        "AWS::IAM::Policy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement", Match.arrayWith(List.of(Match.objectLike(reading.get(0)))))),
                "Roles",
                List.of(Map.of("Ref", Match.stringLikeRegexp("^RelayRole.*"))))));

    // acknowledged, with the reason it is not rotated
    Map<String, Object> nag =
        (Map<String, Object>) ((Map<String, Object>) resource.get("Metadata")).get("cdk_nag");
    assertThat(nag.get("rules_to_suppress").toString())
        .contains("AwsSolutions-SMG4")
        .contains("every relay must hold the same one");

    // the relays read it by its ARN at every start
    assertThat(userData(dublinRelay))
        .contains("aws secretsmanager get-secret-value --secret-id '<token>'");
  }

  @Test
  void relayUserDataRunsCoturnWithTheRegionsRealm_andPassesTheAgentItsTurnFlags() {
    assertThat(userData(dublinRelay))
        .contains("apt-get install -y coturn")
        .contains("realm=eu-west-1.edge.live.liffey.example")
        .contains("use-auth-secret")
        .contains("external-ip=$public/$private")
        .contains("--turn-url 'turn:eu-west-1.edge.live.liffey.example:3478?transport=udp'")
        .contains("--turn-url 'turn:eu-west-1.edge.live.liffey.example:443?transport=tcp'")
        .contains("--turn-secret-file /etc/liffey/turn-secret");
    assertThat(userData(template(fixture.edge.region("eu-central-1").relay())))
        .contains("realm=eu-central-1.edge.live.liffey.example")
        .contains("turn:eu-central-1.edge.live.liffey.example:443?transport=tcp");
  }

  @Test
  void everyRelayHealthCheckAsksTheAgentsHealthOnItsPort_whichIs503WhileDraining() {
    var targetGroups =
        dublinRelay.findResources("AWS::ElasticLoadBalancingV2::TargetGroup").values();
    assertThat(targetGroups).hasSize(3);
    dublinRelay.allResourcesProperties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Match.objectLike(Map.of("HealthCheckPath", "/health")));
    // the signalling load balancer forwards to the agent's port and checks it there
    dublinRelay.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Match.objectLike(Map.of("Protocol", "HTTP", "Port", 8443)));
    // the NLB's TURN target groups check the agent's port too
    assertThat(
            dublinRelay.findResources(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(
                            Map.of("HealthCheckPort", "8443", "HealthCheckProtocol", "HTTP"))))))
        .hasSize(2);
    assertThat(dublinRelay.toJSON().toString()).doesNotContain("/healthz");
  }

  @Test
  void drainHookIsNamedAsTheAgentCallsIt_andWaitsFiveMinutesForEachHeartbeat() {
    dublinRelay.resourceCountIs("AWS::AutoScaling::LifecycleHook", 2); // boot and drain
    dublinRelay.hasResourceProperties(
        "AWS::AutoScaling::LifecycleHook",
        Match.objectLike(
            Map.of(
                "LifecycleHookName", "liffey-drain",
                "LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING",
                "HeartbeatTimeout", 300,
                "DefaultResult", "CONTINUE",
                "AutoScalingGroupName", Map.of("Ref", "RelaysGroupASG86FBB9FB"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void bootHookHoldsEachNewOrWarmedRelayUntilItHasBooted_andAbandonsOneThatNeverDoes() {
    Map<String, Map<String, Object>> hooks =
        dublinRelay.findResources(
            "AWS::AutoScaling::LifecycleHook",
            Map.of(
                "Properties",
                Map.of(
                    "LifecycleHookName", "liffey-boot",
                    "LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING",
                    "HeartbeatTimeout", 900,
                    "DefaultResult", "ABANDON",
                    "AutoScalingGroupName", Map.of("Ref", "RelaysGroupASG86FBB9FB"))));
    assertThat(hooks).hasSize(1);
    // no notification target: the relay completes the action itself, so no role for the hook
    assertThat((Map<String, Object>) hooks.values().iterator().next().get("Properties"))
        .doesNotContainKeys("NotificationTargetARN", "RoleARN");
    // the pool's first relays launch after the hook exists, so they too are held until booted
    dublinRelay.hasResource(
        "AWS::AutoScaling::WarmPool",
        Map.of("DependsOn", Match.arrayWith(List.of(hooks.keySet().iterator().next()))));
  }

  @Test
  void relayCompletesItsBootHookWithTheDrainStatement_whichNamesTheGroupNotAHook() {
    List<Map<String, Object>> completing =
        statements(dublinRelay).stream()
            .filter(s -> actions(s).contains("autoscaling:CompleteLifecycleAction"))
            .toList();
    assertThat(completing).hasSize(1);
    assertThat(completing.get(0).get("Sid")).isEqualTo("FinishOwnDrain");
    assertThat(userData(dublinRelay))
        .contains("--lifecycle-hook-name liffey-boot")
        .contains("--lifecycle-action-result CONTINUE --region eu-west-1")
        .contains("describe-auto-scaling-instances")
        .endsWith(
            "systemctl restart liffey-edge.service\n"
                + "# Last: only a relay whose install got this far (set -e) tells Auto Scaling it"
                + " has booted.\n"
                + "systemctl enable liffey-boot-complete.service\n"
                + "systemctl start liffey-boot-complete.service\n");
  }

  @Test
  void relayRoleFinishesOnlyItsOwnGroupsDrain_findsItsGroup_andReadsOnlyTheTokenKeyPath() {
    List<Map<String, Object>> statements = statements(dublinRelay);
    Map<String, Object> drain = bySid(statements, "FinishOwnDrain");
    assertThat(actions(drain))
        .containsExactlyInAnyOrder(
            "autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat");
    assertThat(drain.get("Resource").toString())
        .contains("autoScalingGroup:*:autoScalingGroupName/")
        .contains("{Ref=RelaysGroupASG86FBB9FB}");
    assertThat(drain.get("Condition")).isEqualTo(EdgeAppFixture.ownGroups("eu-west-1", "relay"));

    Map<String, Object> describe = bySid(statements, "FindOwnGroup");
    assertThat(actions(describe)).containsExactly("autoscaling:DescribeAutoScalingInstances");
    assertThat(describe.get("Resource")).isEqualTo("*");

    Map<String, Object> keys = bySid(statements, "ReadViewerTokenKeys");
    assertThat(actions(keys)).containsExactly("ssm:GetParametersByPath");
    assertThat((List<?>) keys.get("Resource")).hasSize(2);
    for (Object arn : (List<?>) keys.get("Resource")) {
      assertThat(arn.toString())
          .containsPattern(":parameter/liffey/viewer-token-keys/?\\]")
          .doesNotContain("*");
    }
    assertThat(statements)
        .filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("ssm:")))
        .hasSize(1);

    Map<String, Object> transcoders = bySid(statements, "FindTranscoders");
    assertThat(actions(transcoders)).containsExactly("dynamodb:Query");
    assertThat(transcoders.get("Resource").toString())
        .contains(":dynamodb:eu-west-1:")
        .endsWith(":table/liffey-control]]}");
    assertThat(transcoders.get("Condition"))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of("dynamodb:LeadingKeys", List.of("transcoders#eu-west-1"))));
    Map<String, Object> relays = bySid(statements, "AnnounceRelays");
    assertThat(actions(relays))
        .containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query");
    assertThat(relays.get("Resource")).isEqualTo(transcoders.get("Resource"));
    assertThat(relays.get("Condition"))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of("dynamodb:LeadingKeys", List.of("relays#eu-west-1"))));
    assertThat(statements)
        .filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:")))
        .as(
            "the relay reads its region's transcoder entries, writes and reads its region's relay"
                + " entries, and nothing else of the table")
        .hasSize(2);
    assertThat(userData(dublinRelay))
        .contains("--control-table liffey-control --control-region eu-west-1");

    Map<String, Object> metrics = bySid(statements, "PublishEdgeMetrics");
    assertThat(metrics.get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of("cloudwatch:namespace", "Liffey/Edge", "aws:RequestedRegion", "eu-west-1")));
  }

  private static Map<String, Object> bySid(List<Map<String, Object>> statements, String sid) {
    return statements.stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid + " in " + statements));
  }

  @Test
  void relaysDownloadTheAgentsJarFromItsS3Asset_andTheirRoleMayReadIt() throws Exception {
    assertThat(userData(dublinRelay))
        .containsPattern(
            "aws s3 cp --region eu-west-1 --only-show-errors 's3://[^/']+/[0-9a-f]{64}\\.jar'"
                + " /opt/liffey/liffey-edge.jar");
    assertThat(statements(dublinRelay))
        .anySatisfy(s -> assertThat(actions(s)).contains("s3:GetObject*"));
    String assembly = fixture.app.synth().getDirectory();
    String assets = Files.readString(Path.of(assembly, "Liffey-eu-west-1-Relay.assets.json"));
    assertThat(assets).containsPattern("\"packaging\": ?\"file\"").contains(".jar\"");
  }

  @Test
  void relayUserDataInstallsJanusAndRunsTheAgent_forTheMarketsItsRegionServes() {
    String dublin = userData(dublinRelay);
    assertThat(dublin)
        .startsWith("#!/bin/bash\nset -euo pipefail\n")
        .contains("apt-get install -y janus openjdk-17-jre-headless awscli")
        // Janus: ICE candidates at the public address read from IMDSv2, token first
        .contains("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \"$imds/api/token\"")
        .contains("\"$imds/meta-data/public-ipv4\"")
        .contains("nat_1_1_mapping")
        .contains("ice_keepalive_conncheck = true")
        .contains("rtp_port_range = \"20000-40000\"")
        .contains("broadcast = true")
        .contains("stats_period = 5")
        .contains("admin_secret = \"$admin_secret\"")
        .contains("install -m 600 -o liffey -g liffey /dev/null /etc/liffey/janus-admin-secret")
        .contains("ip = \"127.0.0.1\"")
        .contains("admin_ip = \"127.0.0.1\"")
        .contains("backend = \"http://127.0.0.1:8443/janus-events\"")
        .contains("live: {\n  type = \"rtp\"\n  id = 1\n")
        .contains("videofmtp = \"profile-level-id=42e01f;packetization-mode=1\"")
        .contains("audiopt = 111")
        // viewers' keys from SSM
        .contains(
            "aws ssm get-parameters-by-path --path /liffey/viewer-token-keys/ --with-decryption")
        // the agent
        .contains("/etc/systemd/system/liffey-edge.service")
        .contains("After=janus.service")
        .contains("Restart=always")
        .contains("User=liffey")
        .contains("--listen 0.0.0.0:8443")
        .contains("--janus-admin-secret-file /etc/liffey/janus-admin-secret")
        .contains("--region eu-west-1")
        .contains("--market IE,GB \\\n")
        .contains("--stream live=1")
        .contains("--drain-max 7200s")
        .contains("--lifecycle-hook liffey-drain")
        // 1,500 viewers a relay at the target utilization of 0.90, or a p95 of 0.8 x the 150 ms
        // SLO.
        .contains("--pack-to 1350 --pack-below-ms 120")
        .contains("systemctl enable janus.service liffey-edge.service")
        .doesNotContain("liffey-relay.service");
    assertThat(userData(template(fixture.edge.region("eu-west-2").relay())))
        .contains("--region eu-west-2")
        .contains("--market IE,GB,DE \\\n");
    assertThat(userData(template(fixture.edge.region("eu-central-1").relay())))
        .contains("--region eu-central-1")
        .contains("--market DE \\\n");
  }

  @Test
  void signallingIsBehindAWafWithPerIpRateLimits() {
    dublinRelay.hasResourceProperties(
        "AWS::WAFv2::WebACL",
        Match.objectLike(
            Map.of(
                "Scope",
                "REGIONAL",
                "Rules",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Name",
                                "RateLimitPerIp",
                                "Statement",
                                Map.of(
                                    "RateBasedStatement",
                                    Match.objectLike(
                                        Map.of(
                                            "Limit",
                                            600,
                                            "AggregateKeyType",
                                            "IP",
                                            "EvaluationWindowSec",
                                            60))))),
                        Match.objectLike(
                            Map.of(
                                "Name",
                                "RateLimitWalletPerIp",
                                "Statement",
                                Map.of(
                                    "RateBasedStatement",
                                    Match.objectLike(Map.of("Limit", 60))))))))));
    dublinRelay.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
  }

  @Test
  void oneGpuGroupPerInstanceType_inPreferenceOrder_eachWithItsWarmPool() {
    Region dublin = fixture.config.region("eu-west-1");
    dublinTranscode.resourceCountIs(
        "AWS::AutoScaling::AutoScalingGroup", dublin.transcode().size());
    dublinTranscode.resourceCountIs("AWS::AutoScaling::WarmPool", dublin.transcode().size());
    for (int i = 0; i < dublin.transcode().size(); i++) {
      TranscodePool pool = dublin.transcode().get(i);
      dublinTranscode.hasResourceProperties(
          "AWS::AutoScaling::AutoScalingGroup",
          Match.objectLike(
              Map.of(
                  "MaxSize", String.valueOf(pool.sizing().maxInstances()),
                  "Tags",
                      Match.arrayWith(
                          List.of(
                              Map.of(
                                  "Key",
                                  "liffey:fleet",
                                  "Value",
                                  "transcode",
                                  "PropagateAtLaunch",
                                  true),
                              Map.of(
                                  "Key",
                                  "liffey:instance-type",
                                  "Value",
                                  pool.sizing().instanceType(),
                                  "PropagateAtLaunch",
                                  true),
                              Map.of(
                                  "Key",
                                  "liffey:managed",
                                  "Value",
                                  "true",
                                  "PropagateAtLaunch",
                                  true),
                              Map.of(
                                  "Key",
                                  "liffey:preference",
                                  "Value",
                                  String.valueOf(i),
                                  "PropagateAtLaunch",
                                  true))))));
      dublinTranscode.hasResourceProperties(
          "AWS::EC2::LaunchTemplate",
          Match.objectLike(
              Map.of(
                  "LaunchTemplateData",
                  Match.objectLike(Map.of("InstanceType", pool.sizing().instanceType())))));
    }
    assertThat(dublin.transcode().get(0).sizing().instanceType()).isEqualTo("g6.2xlarge");
  }

  @Test
  void autoscalerMayChangeOnlyManagedGroupsAndOnlyTheIrishRecordSet() {
    List<Map<String, Object>> statements =
        statements(dublinEks).stream().filter(s -> s.containsKey("Sid")).toList();
    Map<String, Object> scale =
        statements.stream()
            .filter(s -> actions(s).contains("autoscaling:SetDesiredCapacity"))
            .findFirst()
            .orElseThrow();
    assertThat(actions(scale))
        .containsExactlyInAnyOrder(
            "autoscaling:SetDesiredCapacity",
            "autoscaling:PutWarmPool",
            "autoscaling:TerminateInstanceInAutoScalingGroup");
    assertThat(scale.get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of(
                    "autoscaling:ResourceTag/liffey:managed",
                    "true",
                    "aws:RequestedRegion",
                    List.of("eu-west-1", "eu-west-2", "eu-central-1"))));

    // The Route 53 statements are asserted on the template below.
    assertThat(statements)
        .filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("route53:")))
        .extracting(s -> s.get("Sid"))
        .containsExactlyInAnyOrder("ReweightRoutedMarketOnly", "ReadRecords");

    // Nothing mutating is granted on every resource without a condition, and no service wildcard
    // exists.
    for (Map<String, Object> s : statements) {
      assertThat(actions(s)).noneMatch(a -> a.endsWith(":*") || a.equals("*"));
      boolean mutating =
          actions(s).stream()
              .anyMatch(a -> a.matches(".*:(Set|Put|Change|Update|Delete|Create).*"));
      if (mutating && "*".equals(s.get("Resource"))) {
        assertThat(s).containsKey("Condition");
      }
    }
  }

  @Test
  void autoscalerMayUpsertOnlyTheWeightedSetsARecordsAaaaAndCnames_andListOnlyItsZone() {
    Map<String, Object> zone =
        Map.of(
            "Fn::Join",
            List.of(
                "",
                List.of(
                    "arn:",
                    Map.of("Ref", "AWS::Partition"),
                    ":route53:::hostedzone/Z04LIFFEYEXAMPLE00001")));
    dublinEks.hasResourceProperties(
        "AWS::IAM::Policy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectEquals(
                                    Map.of(
                                        "Sid", "ReweightRoutedMarketOnly",
                                        "Effect", "Allow",
                                        "Action", "route53:ChangeResourceRecordSets",
                                        "Resource", zone,
                                        // normalized as the condition key compares names: lower
                                        // case, no trailing dot
                                        "Condition",
                                            Map.of(
                                                "ForAllValues:StringEquals",
                                                Map.of(
                                                    "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                                                        List.of("ie.edge.live.liffey.example"),
                                                    "route53:ChangeResourceRecordSetsRecordTypes",
                                                        List.of("A", "AAAA", "CNAME"),
                                                    "route53:ChangeResourceRecordSetsActions",
                                                        List.of("UPSERT")),
                                                // ForAllValues holds of an empty set: the keys
                                                // must be there
                                                "Null",
                                                Map.of(
                                                    "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                                                        "false",
                                                    "route53:ChangeResourceRecordSetsRecordTypes",
                                                        "false",
                                                    "route53:ChangeResourceRecordSetsActions",
                                                        "false")))),
                                Match.objectEquals(
                                    Map.of(
                                        "Sid", "ReadRecords",
                                        "Effect", "Allow",
                                        "Action", "route53:ListResourceRecordSets",
                                        "Resource", zone)))))))));
  }

  @Test
  void autoscalerRunsAsTwoReplicasWithItsOwnPodIdentity_inThePrimaryRegionOnly() {
    dublinEks.hasResourceProperties(
        "AWS::IAM::Role", Match.objectLike(Map.of("RoleName", "Liffey-autoscaler")));
    dublinEks.hasResourceProperties(
        "AWS::EKS::PodIdentityAssociation",
        Match.objectLike(
            Map.of("Namespace", "liffey-system", "ServiceAccount", "liffey-autoscaler")));
    String manifests = kubernetesManifests(dublinEks);
    assertThat(manifests)
        .contains("\"kind\":\"Deployment\"")
        .contains("\"replicas\":2")
        .contains("\"args\":[\"--config\",\"/etc/liffey/edge-regions.yaml\",\"--leader-elect\"]")
        .contains("\"readOnlyRootFilesystem\":true");
    londonEks.resourceCountIs("AWS::EKS::PodIdentityAssociation", 0);
    // Elsewhere its role arrives through an access entry mapped to a group with no EKS access
    // policy: what the group may do is the namespaced RBAC the manifests grant.
    londonEks.hasResourceProperties(
        "AWS::EKS::AccessEntry",
        Match.objectLike(Map.of("KubernetesGroups", List.of("liffey-autoscaler"))));
    assertThat(londonEks.toJSON().toString()).doesNotContain("AmazonEKSEditPolicy");
  }

  @Test
  void eachServiceIsFencedByAQuotaAndADisruptionBudget() {
    String manifests = kubernetesManifests(londonEks);
    // Keys are sorted (Manifests.ordered): metadata's labels come before its name.
    for (String service : List.of("chat", "wallet", "game")) {
      assertThat(manifests)
          .containsPattern(
              "\"kind\":\"Namespace\",\"metadata\":\\{\"labels\":\\{[^}]*},\"name\":\""
                  + service
                  + "\"");
      assertThat(manifests)
          .containsPattern(
              "\"kind\":\"ResourceQuota\",\"metadata\":\\{\"labels\":\\{[^}]*},\"name\":\""
                  + service
                  + "-quota\"");
    }
    // wallet keeps 80% of its replicas through node drains, per edge-regions.yaml
    assertThat(manifests)
        .containsPattern(
            "\"kind\":\"PodDisruptionBudget\",\"metadata\":\\{\"labels\":\\{[^}]*},\"name\":\"wallet\"")
        .contains("\"minAvailable\":\"80%\"");
    assertThat(manifests)
        .as("the daemon runs in the primary region only")
        .doesNotContain("\"kind\":\"Deployment\"");
  }

  @Test
  void irelandResolvesToTheWeightedSet_withOneHealthCheckedRecordPerCandidateRegion() {
    routing.hasResourceProperties(
        "AWS::Route53::RecordSet",
        Match.objectLike(
            Map.of(
                "Name",
                "edge.live.liffey.example.",
                "GeoLocation",
                Map.of("CountryCode", "IE"),
                "ResourceRecords",
                List.of("ie.edge.live.liffey.example"),
                "TTL",
                "60")));
    for (Object[] w : List.of(new Object[] {"eu-west-1", 200}, new Object[] {"eu-west-2", 55})) {
      routing.hasResourceProperties(
          "AWS::Route53::RecordSet",
          Match.objectLike(
              Map.of(
                  "Name",
                  "ie.edge.live.liffey.example.",
                  "Type",
                  "CNAME",
                  "SetIdentifier",
                  w[0],
                  "Weight",
                  w[1],
                  "TTL",
                  "60",
                  "HealthCheckId",
                  Match.anyValue(),
                  "ResourceRecords",
                  List.of(w[0] + ".edge.live.liffey.example"))));
    }
    routing.resourceCountIs("AWS::Route53::HealthCheck", 2);
  }

  @Test
  void controlTableIsAGlobalTableAcrossThePrimaryPair_encryptedWithPointInTimeRecovery() {
    control.hasResourceProperties(
        "AWS::DynamoDB::GlobalTable",
        Match.objectLike(
            Map.of(
                "TableName", "liffey-control",
                "KeySchema",
                    List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "SSESpecification", Match.objectLike(Map.of("SSEEnabled", true)),
                "Replicas",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Region",
                                    "eu-west-2",
                                    "PointInTimeRecoverySpecification",
                                    Map.of("PointInTimeRecoveryEnabled", true))),
                            Match.objectLike(
                                Map.of(
                                    "Region",
                                    "eu-west-1",
                                    "PointInTimeRecoverySpecification",
                                    Map.of("PointInTimeRecoveryEnabled", true))))))));
  }
}
