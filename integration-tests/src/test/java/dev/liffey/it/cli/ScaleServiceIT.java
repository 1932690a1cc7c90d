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
import dev.liffey.it.kube.KubeApiServer;
import dev.liffey.it.kube.ServiceScalingIT;
import dev.liffey.it.kube.SynthesizedManifests;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * liffey scale on an EKS service: the region's cluster (a real API server, with the RBAC the CDK
 * app synthesizes) through a kubeconfig, as on-call's IAM role arrives there (the group its access
 * entry maps it to), beside the control loop (as the daemon's ServiceAccount).
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES) // a first build of the API server, then a minute
class ScaleServiceIT extends EmulatorTest {
  private static final String DUBLIN_CONTEXT =
      "arn:aws:eks:eu-west-1:123456789012:cluster/Liffey-eu-west-1";
  private static final String ON_CALL = "arn:aws:sts::123456789012:assumed-role/Liffey-on-call/sam";
  KubeApiServer server;
  KubernetesClient client;
  @TempDir Path dir;

  @BeforeEach
  void cluster() throws Exception {
    server = KubeApiServer.start(dir.resolve("kube"), Map.of(ON_CALL, "liffey-on-call"));
    client = server.admin();
    SynthesizedManifests.of("eu-west-1").apply(client, ServiceScalingIT.FENCES);
  }

  @AfterEach
  void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Path kubeconfig(String context, String server) throws Exception {
    Path file = dir.resolve("kubeconfig-" + Math.abs(context.hashCode()));
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: u
          user: {token: "%s"}
        contexts:
        - name: "%s"
          context: {cluster: c, user: u}
        current-context: "%s"
        """
            .formatted(
                server,
                java.util.Base64.getEncoder()
                    .encodeToString(
                        this.server.caPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                this.server.tokenOf(ON_CALL),
                context,
                context));
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
    String apiServer = server.url();
    LiffeyJar jar = new LiffeyJar(dir, emulator.endpoint());

    LiffeyJar.Result london =
        jar.run(
            Map.of(
                "KUBECONFIG",
                kubeconfig(DUBLIN_CONTEXT.replace("eu-west-1", "eu-west-2"), apiServer).toString()),
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
            Map.of("KUBECONFIG", kubeconfig(DUBLIN_CONTEXT, apiServer).toString()),
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
            new Fabric8WorkloadActuator(
                edge.config,
                Map.of(
                    "eu-west-1",
                    server.clientAsServiceAccount(
                        edge.config.autoscaler().namespace(), "liffey-autoscaler"))),
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
            Map.of("KUBECONFIG", kubeconfig(DUBLIN_CONTEXT, "https://127.0.0.1:9").toString()),
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
        .startsWith("liffey: cannot reach Kubernetes for eu-west-1 at https://127.0.0.1:9")
        .endsWith(
            "): check the kubeconfig (aws eks update-kubeconfig --region eu-west-1 --name Liffey-eu-west-1) or"
                + " --kube-context\n")
        .doesNotContain("\tat ");
  }
}
