package dev.liffey.autoscaler.k8s;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.ServiceFleet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat, wallet and game services of the regions whose clusters it can reach: deployments
 * labelled {@code liffey.dev/service=<name>}, in any namespace. Where a HorizontalPodAutoscaler
 * owns a deployment, Liffey raises the HPA's {@code minReplicas} instead of fighting it; otherwise
 * it scales the deployment. Only on change. A cluster it cannot read is left out of that tick.
 * Thread-safe as the Fabric8 client is.
 */
public final class Fabric8WorkloadActuator implements WorkloadActuator {
  public static final String SERVICE_LABEL = "liffey.dev/service";
  private static final Logger log = LoggerFactory.getLogger(Fabric8WorkloadActuator.class);

  private final EdgeConfig config;
  private final Map<String, KubernetesClient> clusters;

  /**
   * @param clusters a client per region whose cluster this daemon may scale
   */
  public Fabric8WorkloadActuator(EdgeConfig config, Map<String, KubernetesClient> clusters) {
    this.config = config;
    this.clusters = Map.copyOf(clusters);
  }

  @Override
  public List<FleetState> services() {
    List<FleetState> out = new ArrayList<>();
    for (Map.Entry<String, KubernetesClient> cluster : clusters.entrySet()) {
      String region = cluster.getKey();
      try {
        for (ServiceFleet service : config.region(region).eks().services()) {
          deployment(cluster.getValue(), service.name())
              .ifPresent(
                  d -> {
                    int desired = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
                    Optional<HorizontalPodAutoscaler> hpa = hpaFor(cluster.getValue(), d);
                    if (hpa.isPresent() && hpa.get().getSpec().getMinReplicas() != null) {
                      desired = Math.max(desired, hpa.get().getSpec().getMinReplicas());
                    }
                    int ready =
                        d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                            ? 0
                            : d.getStatus().getReadyReplicas();
                    out.add(
                        new FleetState(
                            FleetId.service(region, service.name()),
                            desired,
                            ready,
                            Math.max(0, desired - ready),
                            0,
                            0));
                  });
        }
      } catch (KubernetesClientException e) {
        log.warn(
            "[region={}] cannot read the cluster's services, leaving them out of this tick: {}",
            region,
            e.getMessage());
      }
    }
    return out;
  }

  @Override
  public void setReplicas(FleetId service, int replicas) {
    if (service.kind() != FleetKind.SERVICE) {
      throw new IllegalArgumentException(service + " is not a Kubernetes service");
    }
    KubernetesClient k8s = clusters.get(service.region());
    if (k8s == null) {
      throw new IllegalStateException("no Kubernetes cluster configured for " + service.region());
    }
    Deployment d =
        deployment(k8s, service.name())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no deployment labelled "
                            + SERVICE_LABEL
                            + "="
                            + service.name()
                            + " in "
                            + service.region()));
    String ns = d.getMetadata().getNamespace();
    Optional<HorizontalPodAutoscaler> hpa = hpaFor(k8s, d);
    if (hpa.isPresent()) {
      HorizontalPodAutoscaler h = hpa.get();
      if (!Integer.valueOf(replicas).equals(h.getSpec().getMinReplicas())) {
        k8s.autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName(h.getMetadata().getName())
            .edit(
                x -> {
                  x.getSpec().setMinReplicas(replicas);
                  x.getSpec().setMaxReplicas(Math.max(replicas, x.getSpec().getMaxReplicas()));
                  return x;
                });
      }
    } else if (!Integer.valueOf(replicas).equals(d.getSpec().getReplicas())) {
      k8s.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).scale(replicas);
    }
  }

  private static Optional<Deployment> deployment(KubernetesClient k8s, String service) {
    return k8s
        .apps()
        .deployments()
        .inAnyNamespace()
        .withLabel(SERVICE_LABEL, service)
        .list()
        .getItems()
        .stream()
        .findFirst();
  }

  private static Optional<HorizontalPodAutoscaler> hpaFor(KubernetesClient k8s, Deployment d) {
    return k8s
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(d.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(
            h ->
                h.getSpec() != null
                    && h.getSpec().getScaleTargetRef() != null
                    && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                    && d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName()))
        .findFirst();
  }
}
