package dev.liffey.autoscaler.ops.aws;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.autoscaler.k8s.KubernetesConnection;
import dev.liffey.core.config.EdgeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A region's EKS cluster as on-call reaches it: through the kubeconfig (its current context, or one
 * named), checked by asking the API for its version. What could not be reached is {@link
 * ClusterUnreachable}, never a Fabric8 exception.
 */
public final class ServiceCluster implements AutoCloseable {
  /** The label that marks a service's deployment. */
  public static final String SERVICE_LABEL = Fabric8WorkloadActuator.SERVICE_LABEL;

  private final KubernetesClient client;

  private ServiceCluster(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @throws ClusterUnreachable when there is no such context or its API does not answer
   */
  public static ServiceCluster connect(Optional<String> context) {
    try {
      return new ServiceCluster(KubernetesConnection.connect(context));
    } catch (KubernetesClientException e) {
      throw new ClusterUnreachable(String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * {@code at https://...}: the API server the kubeconfig names for {@code context}, when it names
   * one.
   */
  public static String apiServer(Optional<String> context) {
    try {
      String url = Config.autoConfigure(context.orElse(null)).getMasterUrl();
      return url == null ? "" : " at " + url;
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * The context and API server it was reached through: what on-call checks it is the right cluster
   * by.
   */
  public String describe() {
    return KubernetesConnection.describe(client);
  }

  /**
   * The services of {@code region} in this cluster; a request that could not reach it is {@link
   * ClusterUnreachable}.
   */
  public WorkloadActuator services(EdgeConfig config, String region) {
    Fabric8WorkloadActuator workloads = new Fabric8WorkloadActuator(config, Map.of(region, client));
    return new WorkloadActuator() {
      @Override
      public List<FleetState> services() {
        try {
          return workloads.services();
        } catch (KubernetesClientException e) {
          throw unreachable(e);
        }
      }

      @Override
      public void setReplicas(FleetId service, int replicas) {
        try {
          workloads.setReplicas(service, replicas);
        } catch (KubernetesClientException e) {
          throw unreachable(e);
        }
      }
    };
  }

  private RuntimeException unreachable(KubernetesClientException e) {
    if (e.getCause() instanceof IOException io) {
      return new ClusterUnreachable(String.valueOf(io.getMessage()), e);
    }
    return new IllegalStateException(
        "Kubernetes "
            + describe()
            + " refused: "
            + String.valueOf(e.getMessage()).replaceAll("\\s+", " "),
        e);
  }

  @Override
  public void close() {
    client.close();
  }
}
