package dev.liffey.cdk.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liffey.cdk.EdgeApp;
import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.cdk.iam.AutoscalerPolicy;
import dev.liffey.cdk.iam.OnCallRole;
import dev.liffey.cdk.network.NetworkStack;
import dev.liffey.cdk.network.NetworkStackProps;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Region;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The EKS stacks synthesized from the repository's edge-regions.yaml, each beside its region's
 * network stack, wired as {@code EdgeApp} wires them (the primary region runs the autoscaler): who
 * the autoscaler is in each cluster and what it may do, how it reaches the other regions' API
 * endpoints, the nodes, and the services' priorities.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120) // synthesis through jsii: about 15 s on a busy 2-core machine
class EksStackTest {
  private static final Clock NOV_2026 =
      Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private EdgeConfig config;
  private Template dublinNetwork;
  private Template dublin;
  private Template london;
  private Template frankfurt;

  @BeforeAll
  void synthesize() throws Exception {
    String yaml = Files.readString(Path.of("..", EdgeConfigLoader.DEFAULT_FILE));
    config = new EdgeConfigLoader(NOV_2026).parse("edge-regions.yaml", yaml).config();
    App app = EdgeApp.newApp();
    Map<String, EksStack> eks = new LinkedHashMap<>();
    NetworkStack primaryNetwork = null;
    for (Region region : config.regions()) {
      String base = config.stackPrefix() + "-" + region.id() + "-";
      LiffeyStackProps stack =
          new LiffeyStackProps(
              Optional.empty(), region.id(), region.availabilityZones(), config.tags());
      NetworkStack network =
          new NetworkStack(app, base + "Network", new NetworkStackProps(stack, region));
      boolean primary = region.id().equals(config.primaryRegion());
      eks.put(
          region.id(),
          new EksStack(
              app,
              base + "Eks",
              new EksStackProps(
                  stack,
                  region,
                  network.vpc(),
                  config.clusterName(region.id()),
                  AutoscalerPolicy.roleName(config),
                  OnCallRole.Reach.of(config).roleName(),
                  EksStackProps.eventsServedBy(config, region.id()),
                  primary
                      ? Optional.of(new EksStackProps.Autoscaler(config, yaml))
                      : Optional.empty())));
      if (primary) {
        primaryNetwork = network;
      }
    }
    // Synthesis happens once, after every stack is made.
    dublinNetwork = Template.fromStack(primaryNetwork);
    dublin = Template.fromStack(eks.get("eu-west-1"));
    london = Template.fromStack(eks.get("eu-west-2"));
    frankfurt = Template.fromStack(eks.get("eu-central-1"));
  }

  @Test
  void otherClustersMapTheAutoscalerRoleToAGroup_withNoEksAccessPolicy() {
    for (Template remote : List.of(london, frankfurt)) {
      remote.hasResourceProperties(
          "AWS::EKS::AccessEntry",
          Match.objectLike(
              Map.of(
                  "KubernetesGroups",
                  List.of("liffey-autoscaler"),
                  "AccessPolicies",
                  List.of(),
                  "PrincipalArn",
                  Match.objectLike(
                      Map.of(
                          "Fn::Join",
                          List.of("", Match.arrayWith(List.of(":role/Liffey-autoscaler"))))))));
      assertThat(remote.toJSON().toString()).doesNotContain("AmazonEKSEditPolicy");
    }
    dublin.resourcePropertiesCountIs(
        "AWS::EKS::AccessEntry",
        Match.objectLike(Map.of("KubernetesGroups", List.of("liffey-autoscaler"))),
        0);
  }

  @Test
  void everyClusterMapsTheOnCallRoleToItsOwnGroup_withNoEksAccessPolicy() {
    for (Template cluster : List.of(dublin, london, frankfurt)) {
      cluster.hasResourceProperties(
          "AWS::EKS::AccessEntry",
          Match.objectLike(
              Map.of(
                  "KubernetesGroups",
                  List.of("liffey-on-call"),
                  "AccessPolicies",
                  List.of(),
                  "PrincipalArn",
                  Match.objectLike(
                      Map.of(
                          "Fn::Join",
                          List.of("", Match.arrayWith(List.of(":role/Liffey-on-call"))))))));
    }
  }

  @Test
  void theAutoscalerMayOnlyReadAndScaleDeploymentsAndHpas_perServiceNamespace_inEveryCluster()
      throws Exception {
    List<Map<String, Object>> expected =
        List.of(
            Map.of(
                "apiGroups", List.of("apps"),
                "resources", List.of("deployments"),
                "verbs", List.of("get", "list", "watch")),
            Map.of(
                "apiGroups", List.of("apps"),
                "resources", List.of("deployments/scale"),
                "verbs", List.of("get", "update", "patch")),
            Map.of(
                "apiGroups", List.of("autoscaling"),
                "resources", List.of("horizontalpodautoscalers"),
                "verbs", List.of("get", "list", "watch", "update", "patch")));
    Map<String, Object> serviceAccount =
        Map.of("kind", "ServiceAccount", "name", "liffey-autoscaler", "namespace", "liffey-system");
    Map<String, Object> group =
        Map.of(
            "kind", "Group", "name", "liffey-autoscaler", "apiGroup", "rbac.authorization.k8s.io");
    Map<String, Object> onCall =
        Map.of("kind", "Group", "name", "liffey-on-call", "apiGroup", "rbac.authorization.k8s.io");

    for (Template cluster : List.of(dublin, london, frankfurt)) {
      List<Map<String, Object>> objects = manifests(cluster);
      assertThat(objects)
          .extracting(o -> o.get("kind"))
          .doesNotContain("ClusterRole", "ClusterRoleBinding");
      for (String service : List.of("chat", "wallet", "game")) {
        Map<String, Object> role = only(objects, "Role", "liffey-autoscaler", service);
        assertThat(role.get("rules")).isEqualTo(expected);
        Map<String, Object> binding = only(objects, "RoleBinding", "liffey-autoscaler", service);
        assertThat(binding.get("roleRef"))
            .isEqualTo(
                Map.of(
                    "apiGroup",
                    "rbac.authorization.k8s.io",
                    "kind",
                    "Role",
                    "name",
                    "liffey-autoscaler"));
        assertThat(binding.get("subjects"))
            .isEqualTo(List.of(cluster == dublin ? serviceAccount : group, onCall));
      }
      // Only the service namespaces (and, for the primary, the daemon's own Lease).
      assertThat(objects)
          .filteredOn(o -> "RoleBinding".equals(o.get("kind")))
          .extracting(o -> metadata(o).get("namespace"))
          .isSubsetOf("chat", "wallet", "game", "liffey-system");
    }
    assertThat(ScalerRbac.RULES).isEqualTo(expected);
  }

  @Test
  void otherRegionsApisArePublicOnlyToThePrimaryNatAddresses_andThePrimarysStaysPrivate() {
    dublin.hasResourceProperties(
        "AWS::EKS::Cluster",
        Match.objectLike(
            Map.of(
                "ResourcesVpcConfig",
                Match.objectLike(
                    Map.of("EndpointPrivateAccess", true, "EndpointPublicAccess", false)))));
    assertThat(dublin.toJSON().toString()).doesNotContain("PublicAccessCidrs");

    for (Template remote : List.of(london, frankfurt)) {
      Map<String, Map<String, Object>> parameters =
          remote.findParameters(
              "*",
              Match.objectLike(
                  Map.of(
                      "Type",
                      "AWS::SSM::Parameter::Value<List<String>>",
                      "Default",
                      "/Liffey-autoscaler/egress-cidrs")));
      assertThat(parameters).hasSize(1);
      String parameter = parameters.keySet().iterator().next();
      remote.hasResourceProperties(
          "AWS::EKS::Cluster",
          Match.objectLike(
              Map.of(
                  "ResourcesVpcConfig",
                  Match.objectLike(
                      Map.of(
                          "EndpointPrivateAccess", true,
                          "EndpointPublicAccess", true,
                          "PublicAccessCidrs", Map.of("Ref", parameter))))));
    }

    // The primary writes its NAT gateways' Elastic IPs, as /32s, into that parameter in each of the
    // other regions.
    dublinNetwork.resourceCountIs("AWS::EC2::EIP", 3);
    dublinNetwork.resourceCountIs("AWS::EC2::NatGateway", 3);
    Map<String, Map<String, Object>> writers = dublin.findResources("Custom::LiffeyEgressCidrs");
    assertThat(writers).hasSize(2);
    List<String> creates =
        writers.values().stream()
            .map(w -> ((Map<?, ?>) w.get("Properties")).get("Create").toString())
            .toList();
    for (String region : List.of("eu-west-2", "eu-central-1")) {
      assertThat(creates)
          .anySatisfy(
              c ->
                  assertThat(c)
                      .contains("\"region\":\"" + region + "\"")
                      .contains("\"action\":\"putParameter\"")
                      .contains("\"Name\":\"/Liffey-autoscaler/egress-cidrs\"")
                      .contains("\"Type\":\"StringList\"")
                      .contains("publicSubnet1EIP")
                      .contains("publicSubnet2EIP")
                      .contains("publicSubnet3EIP")
                      .contains("/32"));
    }
    // ...and may write nothing else.
    List<Object> ssmResources =
        dublin.findResources("AWS::IAM::Policy").values().stream()
            .flatMap(p -> statementsOf(p).stream())
            .filter(s -> s.get("Action").toString().contains("ssm:PutParameter"))
            .map(s -> s.get("Resource"))
            .toList();
    assertThat(ssmResources).hasSize(2);
    assertThat(ssmResources.toString())
        .contains(":ssm:eu-west-2:", ":ssm:eu-central-1:")
        .contains(":parameter/Liffey-autoscaler/egress-cidrs")
        .doesNotContain("*");
    // The role may look up every Liffey cluster's endpoint and CA.
    assertThat(dublin.toJSON().toString()).contains("eks:DescribeCluster");
  }

  @Test
  void nodesFollowPodsThroughEksAutoMode_withNoManagedNodeGroupLeft() throws Exception {
    for (Template cluster : List.of(dublin, london, frankfurt)) {
      cluster.hasResourceProperties(
          "AWS::EKS::Cluster",
          Match.objectLike(
              Map.of(
                  "ComputeConfig",
                  Match.objectLike(Map.of("Enabled", true, "NodePools", List.of("system"))),
                  "StorageConfig",
                  Map.of("BlockStorage", Map.of("Enabled", true)),
                  "KubernetesNetworkConfig",
                  Match.objectLike(Map.of("ElasticLoadBalancing", Map.of("Enabled", true))))));
      cluster.resourceCountIs("AWS::EKS::Nodegroup", 0);
      cluster.resourceCountIs("AWS::EC2::LaunchTemplate", 0);
      // Auto Mode runs the Pod Identity agent itself.
      cluster.resourceCountIs("AWS::EKS::Addon", 0);

      Map<String, Object> pool = only(manifests(cluster), "NodePool", "liffey-services", null);
      Map<String, Object> template = child(child(pool, "spec"), "template");
      assertThat(child(child(template, "spec"), "nodeClassRef"))
          .isEqualTo(Map.of("group", "eks.amazonaws.com", "kind", "NodeClass", "name", "default"));
      assertThat(child(template, "spec").get("requirements").toString())
          .contains("node.kubernetes.io/instance-type", "m7i.xlarge", "m6i.xlarge")
          .contains("karpenter.sh/capacity-type", "on-demand");
    }
    // Dublin: at most 40 m7i.xlarge (4 vCPUs each).
    Map<String, Object> dublinPool = only(manifests(dublin), "NodePool", "liffey-services", null);
    assertThat(child(child(dublinPool, "spec"), "limits")).isEqualTo(Map.of("cpu", "160"));
  }

  @Test
  void consolidationStopsDuringEachKnownEventItsRegionServes_fromPrewarmToTheEnd()
      throws Exception {
    // Dublin serves IE and GB: the derby (17:30 - 20 min pre-warm, 130 min) and the Six Nations
    // match (16:40 - 30 min, 140 min), whose Irish and British audiences share one window.
    List<Object> expected =
        List.of(
            Map.of("nodes", "10%"),
            Map.of(
                "nodes", "0",
                "reasons", List.of("Underutilized", "Empty"),
                "schedule", "10 17 26 12 *",
                "duration", "2h30m"),
            Map.of(
                "nodes", "0",
                "reasons", List.of("Underutilized", "Empty"),
                "schedule", "10 16 13 2 *",
                "duration", "2h50m"));
    assertThat(budgets(dublin)).isEqualTo(expected);
    assertThat(budgets(london)).isEqualTo(expected);
    // Frankfurt serves Germany only, which has no known event.
    assertThat(budgets(frankfurt)).isEqualTo(List.of(Map.of("nodes", "10%")));
    Map<String, Object> disruption =
        child(
            child(only(manifests(dublin), "NodePool", "liffey-services", null), "spec"),
            "disruption");
    assertThat(disruption).containsEntry("consolidationPolicy", "WhenEmptyOrUnderutilized");
    // The wait the simulator's nodes consolidate after, too.
    assertThat(disruption).containsEntry("consolidateAfter", "5m");
  }

  @Test
  void anEventWindowIsCronInUtcWithWholeMinutes_andTooManyWindowsAreRefused() {
    Instant start = Instant.parse("2027-03-01T00:05:00Z");
    KnownEvent overMidnight =
        new KnownEvent("late", "IE", start, Duration.ofMinutes(45), 1000, Duration.ofMinutes(10));
    assertThat(ServiceNodePool.eventBudgets("eu-west-1", List.of(overMidnight)))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b).containsEntry("schedule", "55 23 28 2 *");
              assertThat(b).containsEntry("duration", "55m");
            });

    List<KnownEvent> many =
        IntStream.range(0, ServiceNodePool.MAX_EVENT_BUDGETS + 1)
            .mapToObj(
                i ->
                    new KnownEvent(
                        "e" + i,
                        "IE",
                        start.plus(Duration.ofDays(i)),
                        Duration.ofHours(2),
                        1000,
                        Duration.ZERO))
            .toList();
    assertThatThrownBy(() -> ServiceNodePool.eventBudgets("eu-west-1", many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eu-west-1: 50 known event windows")
        .hasMessageContaining("remove ended events");
    assertThat(ServiceNodePool.maxVcpus(List.of("m7i.xlarge", "m6i.2xlarge", "c6i.large")))
        .isEqualTo(8);
    assertThatThrownBy(() -> ServiceNodePool.maxVcpus(List.of("m7i.metal-24xl")))
        .hasMessageContaining("m7i.metal-24xl");
  }

  @Test
  void walletOutranksGameOutranksChat_andEachNamespaceAdmitsOnlyPodsOfItsOwnClass()
      throws Exception {
    for (Template cluster : List.of(dublin, london, frankfurt)) {
      List<Map<String, Object>> objects = manifests(cluster);
      Map<String, Object> wallet = only(objects, "PriorityClass", "liffey-wallet", null);
      Map<String, Object> game = only(objects, "PriorityClass", "liffey-game", null);
      Map<String, Object> chat = only(objects, "PriorityClass", "liffey-chat", null);
      assertThat((int) wallet.get("value")).isGreaterThan((int) game.get("value"));
      assertThat((int) game.get("value")).isGreaterThan((int) chat.get("value"));
      assertThat(wallet).containsEntry("preemptionPolicy", "PreemptLowerPriority");
      assertThat(game).containsEntry("preemptionPolicy", "PreemptLowerPriority");
      assertThat(chat).containsEntry("preemptionPolicy", "Never");
      for (Map<String, Object> pc : List.of(wallet, game, chat)) {
        assertThat(pc).containsEntry("globalDefault", false);
        assertThat((String) pc.get("description")).isNotBlank();
      }

      for (String service : List.of("chat", "wallet", "game")) {
        Map<String, Object> quota =
            child(only(objects, "ResourceQuota", service + "-quota", service), "spec");
        assertThat(quota.get("scopeSelector")).isEqualTo(scope("In", "liffey-" + service));
        assertThat(child(quota, "hard")).containsKeys("requests.cpu", "requests.memory", "pods");
        Map<String, Object> others =
            child(only(objects, "ResourceQuota", service + "-other-priorities", service), "spec");
        assertThat(others.get("hard")).isEqualTo(Map.of("pods", "0"));
        assertThat(others.get("scopeSelector")).isEqualTo(scope("NotIn", "liffey-" + service));
      }
    }
    assertThat(config.region("eu-west-1").eks().services())
        .extracting(s -> s.name() + "=" + s.priority())
        .containsExactly("chat=1000", "wallet=3000", "game=2000");

    // The daemon's own class is above every service's, so none of them preempts it.
    List<Map<String, Object>> primary = manifests(dublin);
    Map<String, Object> daemonClass = only(primary, "PriorityClass", "liffey-autoscaler", null);
    assertThat((int) daemonClass.get("value")).isEqualTo(1_000_000_000);
    assertThat(daemonClass).containsEntry("preemptionPolicy", "Never");
    Map<String, Object> deployment =
        only(primary, "Deployment", "liffey-autoscaler", "liffey-system");
    assertThat(child(child(child(deployment, "spec"), "template"), "spec"))
        .containsEntry("priorityClassName", "liffey-autoscaler");
  }

  // --- reading the synthesized manifests ---

  /** Every Kubernetes object the stack applies, parsed (manifests holding tokens are skipped). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> manifests(Template template) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> resource :
        template.findResources("Custom::AWSCDK-EKS-KubernetesResource").values()) {
      Object manifest = ((Map<String, Object>) resource.get("Properties")).get("Manifest");
      String text;
      if (manifest instanceof String s) {
        text = s;
      } else {
        // Fn::Join around tokens (the daemon's image or config): stand a string in for each.
        List<Object> parts =
            (List<Object>) ((List<Object>) ((Map<String, Object>) manifest).get("Fn::Join")).get(1);
        StringBuilder sb = new StringBuilder();
        parts.forEach(p -> sb.append(p instanceof String s ? s : "token"));
        text = sb.toString();
      }
      out.addAll(JSON.readValue(text, List.class));
    }
    return out;
  }

  private static Map<String, Object> only(
      List<Map<String, Object>> objects, String kind, String name, String namespace) {
    List<Map<String, Object>> found =
        objects.stream()
            .filter(o -> kind.equals(o.get("kind")))
            .filter(o -> name.equals(metadata(o).get("name")))
            .filter(o -> namespace == null || namespace.equals(metadata(o).get("namespace")))
            .toList();
    assertThat(found).as("%s %s in %s", kind, name, namespace).hasSize(1);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> object, String key) {
    return (Map<String, Object>) object.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> budgets(Template cluster) throws Exception {
    Map<String, Object> pool = only(manifests(cluster), "NodePool", "liffey-services", null);
    return (List<Object>) child(child(pool, "spec"), "disruption").get("budgets");
  }

  private static Map<String, Object> scope(String operator, String priorityClass) {
    return Map.of(
        "matchExpressions",
        List.of(
            Map.of(
                "operator",
                operator,
                "scopeName",
                "PriorityClass",
                "values",
                List.of(priorityClass))));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statementsOf(Map<String, Object> policy) {
    Map<String, Object> document =
        (Map<String, Object>)
            ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
    return (List<Map<String, Object>>) document.get("Statement");
  }
}
