package dev.liffey.autoscaler.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8WorkloadActuatorMockTest {
  KubernetesClient client;

  private void deployment(String ns, String service, int replicas, int ready) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(service + "-api")
                .withNamespace(ns)
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
                .withNewStatus()
                .withReadyReplicas(ready)
                .endStatus()
                .build())
        .create();
  }

  private Fabric8WorkloadActuator actuator() {
    return new Fabric8WorkloadActuator(TestConfigs.repository(), Map.of("eu-west-1", client));
  }

  @Test
  void findsServicesByLabel_andScalesADeploymentWithoutAnHpa() {
    deployment("chat", "chat", 3, 3);
    deployment("wallet", "wallet", 3, 2);

    assertThat(actuator().services())
        .extracting(FleetState::id, FleetState::desired, FleetState::inService)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(FleetId.service("eu-west-1", "chat"), 3, 3),
            org.assertj.core.groups.Tuple.tuple(FleetId.service("eu-west-1", "wallet"), 3, 2));

    actuator().setReplicas(FleetId.service("eu-west-1", "chat"), 9);

    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("chat")
                .withName("chat-api")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(9);
  }

  @Test
  void whereAnHpaOwnsTheDeployment_itsFloorIsRaisedInsteadOfFightingIt() {
    deployment("game", "game", 4, 4);
    client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace("game")
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("game-api")
                .withNamespace("game")
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

    actuator().setReplicas(FleetId.service("eu-west-1", "game"), 14);

    var hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace("game")
            .withName("game-api")
            .get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(14);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(14);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("game")
                .withName("game-api")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(4);
    assertThat(actuator().services())
        .singleElement()
        .satisfies(s -> assertThat(s.desired()).isEqualTo(14));
  }
}
