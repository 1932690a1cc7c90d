package dev.liffey.cdk.eks;

import dev.liffey.core.config.ServiceFleet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects that fence one service in: its namespace, a resource quota and default
 * requests so one flooded service cannot starve the others, and a disruption budget so node drains
 * never take it below {@code minAvailablePercent}.
 */
final class ServiceManifests {
  static final String SERVICE_LABEL = "liffey.dev/service";

  private ServiceManifests() {}

  static List<Map<String, Object>> of(ServiceFleet service) {
    String ns = service.name();
    Map<String, Object> labels =
        Map.of(SERVICE_LABEL, ns, "app.kubernetes.io/managed-by", "liffey-cdk");
    return List.of(
        object("v1", "Namespace", ns, null, labels, Map.of()),
        object(
            "v1",
            "ResourceQuota",
            ns + "-quota",
            ns,
            labels,
            Map.of(
                "spec",
                Map.of(
                    "hard",
                    Map.of(
                        "requests.cpu",
                        String.valueOf(service.quota().cpuCores()),
                        "requests.memory",
                        service.quota().memoryGiB() + "Gi",
                        "limits.memory",
                        service.quota().memoryGiB() + "Gi",
                        "pods",
                        String.valueOf(service.quota().pods()))))),
        // Pods without requests would escape the quota; give them sane defaults instead.
        object(
            "v1",
            "LimitRange",
            ns + "-defaults",
            ns,
            labels,
            Map.of(
                "spec",
                Map.of(
                    "limits",
                    List.of(
                        Map.of(
                            "type", "Container",
                            "defaultRequest", Map.of("cpu", "250m", "memory", "256Mi"),
                            "default", Map.of("memory", "512Mi")))))),
        object(
            "policy/v1",
            "PodDisruptionBudget",
            ns,
            ns,
            labels,
            Map.of(
                "spec",
                Map.of(
                    "minAvailable",
                    service.minAvailablePercent() + "%",
                    "selector",
                    Map.of("matchLabels", Map.of(SERVICE_LABEL, ns))))));
  }

  static Map<String, Object> object(
      String apiVersion,
      String kind,
      String name,
      String namespace,
      Map<String, Object> labels,
      Map<String, Object> body) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("labels", labels);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.put("metadata", metadata);
    object.putAll(body);
    return object;
  }
}
