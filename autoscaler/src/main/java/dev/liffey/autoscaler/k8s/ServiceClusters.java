package dev.liffey.autoscaler.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes clusters whose services this daemon scales, one per region. A cluster may be
 * connected on first use and again after a failure, so {@link #client} may fail for one region and
 * succeed for the others.
 */
public interface ServiceClusters {
  /** The regions with a cluster to scale services in. */
  Set<String> regions();

  /**
   * The region's client.
   *
   * @throws RuntimeException (a {@code KubernetesClientException} or an SDK exception) when the
   *     cluster cannot be reached now
   */
  KubernetesClient client(String region);

  /** Clients already connected. */
  static ServiceClusters of(Map<String, KubernetesClient> clients) {
    Map<String, KubernetesClient> copy = Map.copyOf(clients);
    return new ServiceClusters() {
      @Override
      public Set<String> regions() {
        return copy.keySet();
      }

      @Override
      public KubernetesClient client(String region) {
        KubernetesClient client = copy.get(region);
        if (client == null) {
          throw new IllegalStateException("no Kubernetes cluster configured for " + region);
        }
        return client;
      }
    };
  }
}
