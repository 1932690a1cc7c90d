package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * liffey scale on an EKS service: the region's cluster (Fabric8's mock API) through a kubeconfig,
 * beside the control loop.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ScaleServiceIT extends EmulatorTest {
  private static final String DUBLIN_CONTEXT =
      "arn:aws:eks:eu-west-1:123456789012:cluster/Liffey-eu-west-1";
  KubernetesClient client;
  @TempDir Path dir;

  private Path kubeconfig(String context, String server) throws Exception {
    Path file = dir.resolve("kubeconfig-" + Math.abs(context.hashCode()));
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "%s"}
        users:
        - name: u
          user: {token: on-call}
        contexts:
        - name: "%s"
          context: {cluster: c, user: u}
        current-context: "%s"
        """
            .formatted(server, context, context));
    return file;
  }

  private int chatReplicas() {
    return client
        .apps()
        .deployments()
        .inNamespace("chat")
        .withName("chat-api")
        .get()
        .getSpec()
        .getReplicas();
  }

  @Test
  void scalesAServiceInTheRegionsCluster_andTheAutoscalerHoldsIt_butRefusesAnotherRegionsCluster()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
    client
        .apps()
        .deployments()
        .inNamespace("chat")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("chat-api")
                .withNamespace("chat")
                .addToLabels(Fabric8WorkloadActuator.SERVICE_LABEL, "chat")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", "chat")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "chat")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("api")
                .withImage("liffey/chat:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    String server = client.getConfiguration().getMasterUrl();
    LiffeyJar jar = new LiffeyJar(dir, emulator.endpoint());

    LiffeyJar.Result london =
        jar.run(
            Map.of(
                "KUBECONFIG",
                kubeconfig(DUBLIN_CONTEXT.replace("eu-west-1", "eu-west-2"), server).toString()),
            edge.configFile,
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "chat",
            "--capacity",
            "12",
            "--reason",
            "chat storm",
            "--yes");
    assertThat(london.exit()).isEqualTo(2);
    assertThat(london.err())
        .startsWith(
            "liffey: the Kubernetes context arn:aws:eks:eu-west-2:123456789012:cluster/"
                + "Liffey-eu-west-2 at ")
        .endsWith(
            " is not eu-west-1's cluster: pass --kube-context with its context (aws eks"
                + " update-kubeconfig --region eu-west-1 --name Liffey-eu-west-1 makes one)\n");
    assertThat(chatReplicas()).isEqualTo(3);
    assertThat(store.read().overrides()).isEmpty();

    LiffeyJar.Result scaled =
        jar.run(
            Map.of("KUBECONFIG", kubeconfig(DUBLIN_CONTEXT, server).toString()),
            edge.configFile,
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "chat",
            "--capacity",
            "12",
            "--for",
            "30m",
            "--reason",
            "chat storm after the red card",
            "--yes");
    assertThat(scaled.exit()).as(scaled.err()).isZero();
    assertThat(scaled.out()).startsWith("scale chat eu-west-1: 3→12, held until ");
    assertThat(chatReplicas()).isEqualTo(12);

    // The daemon's tick (Dublin is the primary region, whose services it scales) keeps the
    // override.
    Instant[] now = {Instant.now().truncatedTo(ChronoUnit.SECONDS)};
    ControlLoop loop =
        LiveControlLoop.create(
            edge.config,
            aws,
            new Fabric8WorkloadActuator(edge.config, Map.of("eu-west-1", client)),
            () -> now[0],
            false);
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), Map.of("IE@eu-west-1", 500.0), Map.of());
    Decision quiet = loop.tick();
    assertThat(chatReplicas()).isEqualTo(12);
    assertThat(quiet.fleets())
        .anySatisfy(
            p -> {
              assertThat(p.fleet()).isEqualTo(FleetId.service("eu-west-1", "chat"));
              assertThat(p.reason())
                  .startsWith("hold chat eu-west-1 at 12: on-call override 12 until ");
            });

    LiffeyJar.Result unreachable =
        jar.run(
            Map.of("KUBECONFIG", kubeconfig(DUBLIN_CONTEXT, "http://127.0.0.1:9").toString()),
            edge.configFile,
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "chat",
            "--capacity",
            "4",
            "--reason",
            "x",
            "--yes");
    assertThat(unreachable.exit()).isEqualTo(3);
    assertThat(unreachable.err())
        .startsWith("liffey: cannot reach Kubernetes for eu-west-1 at http://127.0.0.1:9")
        .endsWith(
            "): check the kubeconfig (aws eks update-kubeconfig --region eu-west-1 --name Liffey-eu-west-1) or"
                + " --kube-context\n")
        .doesNotContain("\tat ");
  }
}
