package dev.liffey.it.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fences the CDK app puts around each service, as a real API server admits pods through them:
 * priority classes (wallet above game above chat) and the quotas that admit a namespace's pods only
 * in its own class and up to its size. There is no controller-manager here to keep the quotas'
 * usage, so each test writes the usage it starts from into the quota's status, as that controller
 * would; admission then does the rest.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES) // a first build of the API server, then seconds
class ServiceFencesIT {
  @TempDir static Path dir;
  static KubeApiServer server;
  static KubernetesClient admin;

  @BeforeAll
  static void cluster() throws Exception {
    server = KubeApiServer.start(dir.resolve("kube"), Map.of());
    admin = server.admin();
    SynthesizedManifests.of("eu-west-2").apply(admin, ServiceScalingIT.FENCES);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Pod pod(String name, String priorityClass) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("api")
            .withImage("liffey/api:1")
            .endContainer()
            .endSpec();
    if (priorityClass != null) {
      b.editSpec().withPriorityClassName(priorityClass).endSpec();
    }
    return b.build();
  }

  /**
   * What the quota controller would write: every quota of the namespace counted as {@code used}.
   */
  private static void counted(String namespace, Map<String, String> used) {
    for (ResourceQuota q : admin.resourceQuotas().inNamespace(namespace).list().getItems()) {
      Map<String, Quantity> usage = new HashMap<>();
      q.getSpec()
          .getHard()
          .keySet()
          .forEach(k -> usage.put(k, new Quantity(used.getOrDefault(k, "0"))));
      admin
          .resourceQuotas()
          .inNamespace(namespace)
          .withName(q.getMetadata().getName())
          .editStatus(
              x -> {
                x.setStatus(new ResourceQuotaStatus(q.getSpec().getHard(), usage));
                return x;
              });
    }
  }

  @Test
  void walletOutranksGame_whichOutranksChat_asPriorityAdmissionResolvesTheirClasses() {
    Map<String, Integer> priority = new HashMap<>();
    for (String service : List.of("chat", "game", "wallet")) {
      counted(service, Map.of());
      Pod created =
          admin
              .pods()
              .inNamespace(service)
              .resource(pod(service + "-ranked", "liffey-" + service))
              .create();
      priority.put(service, created.getSpec().getPriority());
    }

    assertThat(priority.get("wallet")).isGreaterThan(priority.get("game"));
    assertThat(priority.get("game")).isGreaterThan(priority.get("chat"));
    assertThat(admin.scheduling().v1().priorityClasses().withName("liffey-chat").get())
        .satisfies(
            c ->
                assertThat(c.getPreemptionPolicy())
                    .as("a chat flood never preempts anyone")
                    .isEqualTo("Never"));
  }

  @Test
  void aNamespaceAdmitsPodsOfItsOwnClassOnly_soNoFloodBorrowsAnotherServicesPriority() {
    counted("chat", Map.of());

    assertThatThrownBy(
            () -> admin.pods().inNamespace("chat").resource(pod("chat-unclassed", null)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("exceeded quota: chat-other-priorities");
            });
    assertThatThrownBy(
            () ->
                admin
                    .pods()
                    .inNamespace("chat")
                    .resource(pod("chat-as-wallet", "liffey-wallet"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(admin.pods().inNamespace("chat").resource(pod("chat-own", "liffey-chat")).create())
        .isNotNull();
  }

  @Test
  void aFloodedServiceStopsAtItsQuota_andTheOthersStillGetPods() {
    ResourceQuota chat = admin.resourceQuotas().inNamespace("chat").withName("chat-quota").get();
    int podLimit = Integer.parseInt(chat.getSpec().getHard().get("pods").getAmount());
    counted("chat", Map.of("pods", String.valueOf(podLimit - 1)));
    counted("wallet", Map.of());

    admin.pods().inNamespace("chat").resource(pod("chat-last", "liffey-chat")).create();
    counted("chat", Map.of("pods", String.valueOf(podLimit)));
    assertThatThrownBy(
            () ->
                admin
                    .pods()
                    .inNamespace("chat")
                    .resource(pod("chat-one-too-many", "liffey-chat"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("exceeded quota: chat-quota");
            });
    assertThat(
            admin.pods().inNamespace("wallet").resource(pod("wallet-ok", "liffey-wallet")).create())
        .as("the wallet is fenced off from chat's flood")
        .isNotNull();
  }
}
