package dev.liffey.cdk.eks;

import dev.liffey.core.config.ServiceFleet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects that fence one service in: its namespace; its PriorityClass ({@code
 * liffey-<service>}, the value from {@code priority}), so that when nodes are full the lower
 * service's pods wait first; a resource quota and default requests so one flooded service cannot
 * starve the others; a disruption budget so node drains never take it below {@code
 * minAvailablePercent}; and the autoscaler's Role and RoleBinding ({@link ScalerRbac}).
 *
 * <p>The namespace admits pods of its own priority class only, as far as admission can enforce it:
 * the quota counts only pods of class {@code liffey-<service>} (scope selector {@code In}), and a
 * second quota allows 0 pods of any other class. Its selector is {@code NotIn [liffey-<service>]},
 * which the ResourceQuota admission plugin evaluates as a label selector over {@code
 * {PriorityClass: <the pod's priorityClassName>}}, an empty set when the pod names no class; {@code
 * NotIn} matches a set without the key, so it catches pods of every other class and pods that name
 * none ({@code DoesNotExist} would catch only the latter). Every Deployment in the namespace must
 * therefore set {@code priorityClassName: liffey-<service>}, or its new pods are refused.
 */
final class ServiceManifests {
  static final String SERVICE_LABEL = "liffey.dev/service";

  /** The second quota of each namespace: no pods of another priority class, or of none. */
  static final String OTHER_PRIORITIES_QUOTA_SUFFIX = "-other-priorities";

  private ServiceManifests() {}

  /**
   * @param cluster every service of the cluster (to rank this one among them)
   * @param scaler who the autoscaler is in this cluster ({@link ScalerRbac#serviceAccount} or
   *     {@link ScalerRbac#group})
   */
  static List<Map<String, Object>> of(
      ServiceFleet service, List<ServiceFleet> cluster, List<Map<String, Object>> scalers) {
    String ns = service.name();
    String preemption = preemptionPolicy(service, cluster);
    String priorityClass = service.priorityClassName();
    Map<String, Object> labels =
        Map.of(SERVICE_LABEL, ns, "app.kubernetes.io/managed-by", "liffey-cdk");
    List<Map<String, Object>> objects = new ArrayList<>();
    objects.add(object("v1", "Namespace", ns, null, labels, Map.of()));
    objects.add(
        object(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            priorityClass,
            null,
            labels,
            Map.of(
                "value",
                service.priority(),
                "globalDefault",
                false,
                "preemptionPolicy",
                preemption,
                "description",
                "Liffey "
                    + ns
                    + ": when nodes are full, pods of a lower priority wait first; "
                    + (preemption.equals("Never")
                        ? "the lowest Liffey service, it never preempts and waits for a node"
                        : "it may preempt pods of a lower priority rather than wait for a node"))));
    objects.add(
        quota(
            ns + "-quota",
            ns,
            labels,
            Map.of(
                "requests.cpu",
                String.valueOf(service.quota().cpuCores()),
                "requests.memory",
                service.quota().memoryGiB() + "Gi",
                "limits.memory",
                service.quota().memoryGiB() + "Gi",
                "pods",
                String.valueOf(service.quota().pods())),
            "In",
            priorityClass));
    objects.add(
        quota(
            ns + OTHER_PRIORITIES_QUOTA_SUFFIX,
            ns,
            labels,
            Map.of("pods", "0"),
            "NotIn",
            priorityClass));
    // Pods without requests would escape the quota; give them sane defaults instead.
    objects.add(
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
                            "default", Map.of("memory", "512Mi")))))));
    objects.add(
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
    objects.addAll(ScalerRbac.in(ns, labels, scalers));
    return objects;
  }

  /**
   * The lowest-priority service never preempts: below it are only pods outside the services (the
   * autoscaler's own class is above every service), which a chat flood must not evict. Every other
   * service may preempt the services below it, so the wallet gets a node's room before a new node
   * arrives.
   */
  static String preemptionPolicy(ServiceFleet service, List<ServiceFleet> all) {
    int lowest = all.stream().mapToInt(ServiceFleet::priority).min().orElse(service.priority());
    return service.priority() == lowest ? "Never" : "PreemptLowerPriority";
  }

  /** A ResourceQuota of {@code hard}, on the pods whose PriorityClass is {@code operator} it. */
  private static Map<String, Object> quota(
      String name,
      String ns,
      Map<String, Object> labels,
      Map<String, Object> hard,
      String operator,
      String priorityClass) {
    return object(
        "v1",
        "ResourceQuota",
        name,
        ns,
        labels,
        Map.of(
            "spec",
            Map.of("hard", hard, "scopeSelector", priorityClassScope(operator, priorityClass))));
  }

  private static Map<String, Object> priorityClassScope(String operator, String priorityClass) {
    return Map.of(
        "matchExpressions",
        List.of(
            Map.of(
                "scopeName",
                "PriorityClass",
                "operator",
                operator,
                "values",
                List.of(priorityClass))));
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
