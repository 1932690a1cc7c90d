package dev.liffey.autoscaler.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Kubernetes API this daemon runs beside: the in-cluster service account on EKS, else the usual
 * kubeconfig. Connects only when one of those exists and the API answers, and never hangs a
 * start-up on retries.
 */
public final class KubernetesConnection {
  // On-call's: a person waiting on one cluster's answer.
  private static final Duration ON_CALL_CONNECT = Duration.ofSeconds(3);
  private static final Duration ON_CALL_REQUEST = Duration.ofSeconds(10);
  static final Path IN_CLUSTER_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private KubernetesConnection() {}

  /**
   * On-call's connection: the kubeconfig's {@code context} (its current one when empty), checked by
   * asking the API for its version.
   *
   * @throws KubernetesClientException when there is no such context or the API does not answer
   */
  public static KubernetesClient connect(Optional<String> context) {
    return answering(context, ON_CALL_CONNECT, ON_CALL_REQUEST, 1);
  }

  /**
   * The context a client was made from, and the API it talks to: what on-call checks it is the
   * right cluster by.
   */
  public static String describe(KubernetesClient client) {
    var ctx = client.getConfiguration().getCurrentContext();
    return (ctx == null ? "in-cluster" : "context " + ctx.getName())
        + " at "
        + client.getConfiguration().getMasterUrl();
  }

  /**
   * The daemon's connection: in-cluster, else the kubeconfig's current context, if its API answers.
   * A request ends within {@code request}, with no retry, so the tick's Kubernetes calls (services,
   * the Lease's renewals) fit its deadline as its AWS calls do.
   */
  public static Optional<KubernetesClient> connect(Duration connect, Duration request) {
    String kubeconfig =
        System.getenv()
            .getOrDefault(
                "KUBECONFIG",
                Path.of(System.getProperty("user.home"), ".kube", "config").toString());
    if (!Files.exists(IN_CLUSTER_TOKEN)
        && !Files.exists(Path.of(kubeconfig.split(java.io.File.pathSeparator)[0]))) {
      return Optional.empty();
    }
    try {
      return Optional.of(answering(Optional.empty(), connect, request, 0));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  /** A client for the context (or the current/in-cluster one) whose API has answered. */
  private static KubernetesClient answering(
      Optional<String> context, Duration connect, Duration request, int retries) {
    Config config =
        new ConfigBuilder(Config.autoConfigure(context.orElse(null)))
            .withConnectionTimeout((int) connect.toMillis())
            .withRequestTimeout((int) request.toMillis())
            .withRequestRetryBackoffLimit(retries)
            .build();
    if (config.getCurrentContext() == null && context.isPresent()) {
      throw new KubernetesClientException("no context '" + context.get() + "' in the kubeconfig");
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
      return client;
    } catch (KubernetesClientException e) {
      client.close();
      throw e;
    }
  }
}
