package dev.liffey.autoscaler.k8s;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
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
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat, wallet and game services of every region's cluster: in each service's namespace (named
 * after the service), the deployment labelled {@code liffey.dev/service=<name>}. Where a
 * HorizontalPodAutoscaler owns that deployment, Liffey raises the HPA's {@code minReplicas} instead
 * of fighting it; otherwise it scales the deployment. Only on change. It reads and writes within
 * the service namespaces only, never cluster-wide, which is all its RBAC grants. A cluster it
 * cannot reach or read is left out of that tick ({@link PartialRead}); the others still act.
 * Thread-safe as the Fabric8 client is.
 */
public final class Fabric8WorkloadActuator implements WorkloadActuator {
  public static final String SERVICE_LABEL = "liffey.dev/service";
  private static final Logger log = LoggerFactory.getLogger(Fabric8WorkloadActuator.class);

  private final EdgeConfig config;
  private final ServiceClusters clusters;

  /**
   * @param clusters a client per region whose cluster this daemon may scale
   */
  public Fabric8WorkloadActuator(EdgeConfig config, Map<String, KubernetesClient> clusters) {
    this(config, ServiceClusters.of(clusters));
  }

  public Fabric8WorkloadActuator(EdgeConfig config, ServiceClusters clusters) {
    this.config = config;
    this.clusters = clusters;
  }

  /**
   * @throws PartialRead when some clusters could not be read: the others' services, and a line for
   *     each that failed
   * @throws RuntimeException the failure itself when no cluster could be read
   */
  @Override
  public List<FleetState> services() {
    List<FleetState> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    RuntimeException first = null;
    for (String region : new TreeSet<>(clusters.regions())) {
      try {
        out.addAll(services(region, clusters.client(region)));
      } catch (RuntimeException e) {
        first = first == null ? e : first;
        String why = why(e);
        problems.add(region + ": " + why);
        log.warn(
            "[region={}] cannot read the cluster's services, leaving them out of this tick: {}",
            region,
            why);
      }
    }
    if (problems.isEmpty()) {
      return out;
    }
    if (problems.size() == clusters.regions().size()) {
      throw first;
    }
    throw new PartialRead(List.copyOf(out), problems);
  }

  /** Fabric8 says which operation failed; its cause says why (refused, unauthorized, timed out). */
  private static String why(RuntimeException e) {
    String why = String.valueOf(e.getMessage());
    Throwable cause = e.getCause();
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      why += " (HTTP " + k.getCode() + ")";
    } else if (cause != null && cause.getMessage() != null && !why.contains(cause.getMessage())) {
      why += ": " + cause.getMessage();
    }
    if (e instanceof KubernetesClientException k && k.getCode() == 401 || endedByGoAway(e)) {
      why += " " + REFUSED_HINT;
    }
    return why.replaceAll("\\s+", " ");
  }

  /**
   * What to check when a cluster refuses the daemon's token. An API server that refuses an HTTP/2
   * client's credentials answers 401 and ends the connection (its HTTP/2 DoS mitigation), so the
   * client may see only the connection's end (GOAWAY).
   */
  static final String REFUSED_HINT =
      "(the API server refused the daemon's credentials, or ended the connection as it does after"
          + " refusing them: check that this cluster has an access entry for the daemon's role)";

  private static boolean endedByGoAway(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("GOAWAY")) {
        return true;
      }
    }
    return false;
  }

  private List<FleetState> services(String region, KubernetesClient k8s) {
    List<FleetState> out = new ArrayList<>();
    for (ServiceFleet service : config.region(region).eks().services()) {
      deployment(k8s, service.name())
          .ifPresent(
              d -> {
                int desired = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
                Optional<HorizontalPodAutoscaler> hpa = hpaFor(k8s, d);
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
    return out;
  }

  @Override
  public void setReplicas(FleetId service, int replicas) {
    if (service.kind() != FleetKind.SERVICE) {
      throw new IllegalArgumentException(service + " is not a Kubernetes service");
    }
    KubernetesClient k8s = clusters.client(service.region());
    Deployment d =
        deployment(k8s, service.name())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no deployment labelled "
                            + SERVICE_LABEL
                            + "="
                            + service.name()
                            + " in namespace "
                            + service.name()
                            + " of "
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

  /** The service's deployment, in its own namespace. */
  private static Optional<Deployment> deployment(KubernetesClient k8s, String service) {
    return k8s
        .apps()
        .deployments()
        .inNamespace(service)
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
