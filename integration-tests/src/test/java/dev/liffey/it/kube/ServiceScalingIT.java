package dev.liffey.it.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.autoscaler.k8s.ServiceClusters;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services of a region, scaled by the daemon on a real API server with RBAC on, as its
 * ServiceAccount, under the RBAC the CDK app synthesizes for the primary region's cluster.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES) // a first build of the API server, then seconds
public class ServiceScalingIT {
  static final String PRIMARY = "eu-west-1";

  /** The kinds of object that fence the services and the daemon in: all but the workloads. */
  public static final Set<String> FENCES =
      Set.of(
          "Namespace",
          "ServiceAccount",
          "Role",
          "RoleBinding",
          "ClusterRole",
          "ClusterRoleBinding",
          "PriorityClass",
          "ResourceQuota",
          "LimitRange",
          "PodDisruptionBudget");

  @TempDir static Path dir;
  static KubeApiServer server;
  static EdgeConfig config;
  static KubernetesClient admin;
  static KubernetesClient daemon;

  @BeforeAll
  static void cluster() throws Exception {
    config = new EdgeConfigLoader().load(Path.of("..", EdgeConfigLoader.DEFAULT_FILE)).config();
    server = KubeApiServer.start(dir.resolve("kube"), Map.of());
    admin = server.admin();
    SynthesizedManifests.of(PRIMARY).apply(admin, FENCES);
    daemon = server.clientAsServiceAccount(config.autoscaler().namespace(), "liffey-autoscaler");
    for (String service : List.of("chat", "wallet", "game")) {
      admin.apps().deployments().inNamespace(service).resource(deployment(service, 3)).create();
    }
    admin
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace("game")
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("game-api")
                .endMetadata()
                .withNewSpec()
                .withMinReplicas(2)
                .withMaxReplicas(10)
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("game-api")
                .endScaleTargetRef()
                .endSpec()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {daemon, admin, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  public static Deployment deployment(String service, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(service + "-api")
        .addToLabels(Fabric8WorkloadActuator.SERVICE_LABEL, service)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", service)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", service)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("api")
        .withImage("liffey/" + service + ":1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Fabric8WorkloadActuator actuator() {
    return new Fabric8WorkloadActuator(config, Map.of(PRIMARY, daemon));
  }

  @Test
  void asItsServiceAccount_theDaemonReadsEveryServiceAndScalesOne_underTheSynthesizedRbac() {
    assertThat(actuator().services())
        .extracting(FleetState::id, FleetState::desired)
        .containsExactlyInAnyOrder(
            Tuple.tuple(FleetId.service(PRIMARY, "chat"), 3),
            Tuple.tuple(FleetId.service(PRIMARY, "wallet"), 3),
            Tuple.tuple(FleetId.service(PRIMARY, "game"), 3));

    actuator().setReplicas(FleetId.service(PRIMARY, "chat"), 9);

    assertThat(admin.apps().deployments().inNamespace("chat").withName("chat-api").get().getSpec())
        .satisfies(s -> assertThat(s.getReplicas()).isEqualTo(9));
  }

  @Test
  void whereAnHpaOwnsTheDeployment_theDaemonRaisesItsFloor_andLeavesTheDeploymentToIt() {
    actuator().setReplicas(FleetId.service(PRIMARY, "game"), 14);

    var hpa =
        admin
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace("game")
            .withName("game-api")
            .get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(14);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(14);
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("game")
                .withName("game-api")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  void theSynthesizedRbacGrantsNoClusterWideList_noSecrets_andNothingOutsideTheServices() {
    // What the daemon did before it listed per namespace: forbidden by its own RBAC.
    assertThatThrownBy(
            () ->
                daemon
                    .apps()
                    .deployments()
                    .inAnyNamespace()
                    .withLabel(Fabric8WorkloadActuator.SERVICE_LABEL, "chat")
                    .list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(() -> daemon.secrets().inNamespace("wallet").list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    admin.apps().deployments().inNamespace("default").resource(deployment("other", 1)).create();
    assertThatThrownBy(
            () -> daemon.apps().deployments().inNamespace("default").withName("other-api").scale(5))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(
            () ->
                daemon
                    .apps()
                    .deployments()
                    .inNamespace("chat")
                    .withName("chat-api")
                    .edit(
                        d -> {
                          d.getSpec()
                              .getTemplate()
                              .getSpec()
                              .getContainers()
                              .get(0)
                              .setImage("evil:1");
                          return d;
                        }))
        .as("the daemon changes a deployment's scale, never its pods")
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void aClusterThatCannotBeReached_isLeftOutOfTheTick_andTheOthersAreStillRead() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    KubernetesClient london =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(daemon.getConfiguration())
                    .withMasterUrl("https://127.0.0.1:" + closedPort) // nothing listens there
                    .build())
            .build();
    try (KubernetesClient unreachable = london) {
      var actuator =
          new Fabric8WorkloadActuator(
              config, ServiceClusters.of(Map.of(PRIMARY, daemon, "eu-west-2", unreachable)));

      assertThatThrownBy(actuator::services)
          .isInstanceOfSatisfying(
              PartialRead.class,
              p -> {
                assertThat(p.problems()).singleElement().asString().startsWith("eu-west-2: ");
                @SuppressWarnings("unchecked")
                List<FleetState> read = (List<FleetState>) p.partial();
                assertThat(read).extracting(f -> f.id().region()).containsOnly(PRIMARY).hasSize(3);
              });
    }
  }
}
