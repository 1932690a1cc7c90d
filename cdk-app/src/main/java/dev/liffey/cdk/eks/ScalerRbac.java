package dev.liffey.cdk.eks;

import static dev.liffey.cdk.eks.ServiceManifests.object;

import java.util.List;
import java.util.Map;

/**
 * What the autoscaler may do inside one service namespace, in every cluster, defined once: read
 * deployments, read and change their scale, and read and tune their HPAs. Nothing else: no Secrets,
 * no pod exec, no deleting, no creating. It is granted per namespace (a Role and a RoleBinding in
 * each service namespace), never cluster-wide, since the daemon lists deployments one service
 * namespace at a time.
 *
 * <p>The autoscaler's subject differs by cluster: in the primary region's cluster the daemon runs
 * as its ServiceAccount; in every other cluster its IAM role arrives through an EKS access entry
 * that maps it to the Kubernetes group {@link #GROUP}, with no EKS access policy. On-call's IAM
 * role arrives the same way, as {@link #ON_CALL_GROUP}, in every cluster.
 */
final class ScalerRbac {
  /** The Role and RoleBinding in each service namespace. */
  static final String NAME = "liffey-autoscaler";

  /** The Kubernetes group the autoscaler's IAM role is mapped to in other regions' clusters. */
  static final String GROUP = "liffey-autoscaler";

  /**
   * The Kubernetes group the on-call IAM role is mapped to in every cluster: {@code liffey scale}
   * of a service needs what the autoscaler does, and nothing more.
   */
  static final String ON_CALL_GROUP = "liffey-on-call";

  /** The rules, the only definition of what the autoscaler may do to a service. */
  static final List<Map<String, Object>> RULES =
      List.of(
          rule("apps", "deployments", "get", "list", "watch"),
          rule("apps", "deployments/scale", "get", "update", "patch"),
          rule(
              "autoscaling",
              "horizontalpodautoscalers",
              "get",
              "list",
              "watch",
              "update",
              "patch"));

  private ScalerRbac() {}

  /** The daemon's ServiceAccount, in the primary region's cluster. */
  static Map<String, Object> serviceAccount(String name, String namespace) {
    return Map.of("kind", "ServiceAccount", "name", name, "namespace", namespace);
  }

  /** The group the autoscaler's IAM role is mapped to, in every other cluster. */
  static Map<String, Object> group() {
    return group(GROUP);
  }

  /** A Kubernetes group an IAM role is mapped to by an access entry. */
  static Map<String, Object> group(String name) {
    return Map.of("kind", "Group", "name", name, "apiGroup", "rbac.authorization.k8s.io");
  }

  /** The Role and its RoleBinding to {@code subjects} in {@code namespace}. */
  static List<Map<String, Object>> in(
      String namespace, Map<String, Object> labels, List<Map<String, Object>> subjects) {
    return List.of(
        object(
            "rbac.authorization.k8s.io/v1",
            "Role",
            NAME,
            namespace,
            labels,
            Map.of("rules", RULES)),
        object(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            NAME,
            namespace,
            labels,
            Map.of(
                "roleRef",
                Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", NAME),
                "subjects",
                subjects)));
  }

  private static Map<String, Object> rule(String apiGroup, String resource, String... verbs) {
    return Map.of(
        "apiGroups", List.of(apiGroup), "resources", List.of(resource), "verbs", List.of(verbs));
  }
}
