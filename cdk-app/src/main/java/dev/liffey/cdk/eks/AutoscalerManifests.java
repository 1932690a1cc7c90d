package dev.liffey.cdk.eks;

import static dev.liffey.cdk.eks.ServiceManifests.object;

import dev.liffey.core.config.Autoscaler;
import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The autoscaler daemon in the primary region's cluster: two replicas spread over zones (one leads
 * through a Lease), its service account, the RBAC to hold the Lease, its PriorityClass (above every
 * service), and the very edge-regions.yaml that was deployed, as a ConfigMap. What it may do to the
 * services is granted in each service namespace ({@link ScalerRbac}).
 */
final class AutoscalerManifests {
  static final String NAME = "liffey-autoscaler";
  static final String CONFIG_PATH = "/etc/liffey/edge-regions.yaml";
  static final int HTTP_PORT = 8080;

  /** The daemon's PriorityClass value: Kubernetes' ceiling for user-defined classes. */
  static final int PRIORITY = 1_000_000_000;

  private AutoscalerManifests() {}

  static List<Map<String, Object>> of(EdgeConfig config, String configYaml, String image) {
    Autoscaler a = config.autoscaler();
    String ns = a.namespace();
    Map<String, Object> labels =
        Map.of("app.kubernetes.io/name", NAME, "app.kubernetes.io/managed-by", "liffey-cdk");
    List<Map<String, Object>> objects =
        new ArrayList<>(
            List.of(
                object("v1", "Namespace", ns, null, labels, Map.of()),
                object("v1", "ServiceAccount", NAME, ns, labels, Map.of()),
                object(
                    "v1",
                    "ConfigMap",
                    NAME + "-config",
                    ns,
                    labels,
                    Map.of("data", Map.of("edge-regions.yaml", configYaml))),
                object(
                    "rbac.authorization.k8s.io/v1",
                    "Role",
                    NAME + "-leader",
                    ns,
                    labels,
                    Map.of(
                        "rules",
                        List.of(
                            Map.of(
                                "apiGroups",
                                List.of("coordination.k8s.io"),
                                "resources",
                                List.of("leases"),
                                "verbs",
                                List.of("get", "create", "update", "patch"))))),
                object(
                    "rbac.authorization.k8s.io/v1",
                    "RoleBinding",
                    NAME + "-leader",
                    ns,
                    labels,
                    Map.of(
                        "roleRef",
                            Map.of(
                                "apiGroup",
                                "rbac.authorization.k8s.io",
                                "kind",
                                "Role",
                                "name",
                                NAME + "-leader"),
                        "subjects",
                            List.of(
                                Map.of(
                                    "kind", "ServiceAccount", "name", NAME, "namespace", ns))))));
    // Above every service (their priorities are at most ServiceFleet.MAX_PRIORITY), so no
    // service's pods preempt the daemon that scales them; it never preempts them either, and
    // waits for a node instead.
    objects.add(
        object(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            NAME,
            null,
            labels,
            Map.of(
                "value",
                PRIORITY,
                "globalDefault",
                false,
                "preemptionPolicy",
                "Never",
                "description",
                "Liffey's autoscaler: above every service, so their pods never preempt it")));
    // What it may do in the service namespaces is granted there, with each service's objects
    // (ServiceManifests, ScalerRbac).
    objects.add(
        object(
            "policy/v1",
            "PodDisruptionBudget",
            NAME,
            ns,
            labels,
            Map.of(
                "spec",
                Map.of(
                    "minAvailable",
                    1,
                    "selector",
                    Map.of("matchLabels", Map.of("app.kubernetes.io/name", NAME))))));
    objects.add(
        object(
            "apps/v1",
            "Deployment",
            NAME,
            ns,
            labels,
            Map.of(
                "spec",
                Map.of(
                    "replicas", a.replicas(),
                    "selector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", NAME)),
                    "strategy",
                        Map.of(
                            "type",
                            "RollingUpdate",
                            "rollingUpdate",
                            Map.of("maxUnavailable", 0, "maxSurge", 1)),
                    "template",
                        Map.of(
                            "metadata", Map.of("labels", labels),
                            "spec", podSpec(config, a, image))))));
    return objects;
  }

  private static Map<String, Object> podSpec(EdgeConfig config, Autoscaler a, String image) {
    Map<String, Object> probe =
        Map.of(
            "httpGet",
            Map.of("path", "/healthz", "port", HTTP_PORT),
            "periodSeconds",
            10,
            "failureThreshold",
            3);
    Map<String, Object> container =
        Map.ofEntries(
            Map.entry("name", "autoscaler"),
            Map.entry("image", image),
            Map.entry("args", List.of("--config", CONFIG_PATH, "--leader-elect")),
            Map.entry(
                "env",
                List.of(
                    Map.of("name", "AWS_REGION", "value", config.primaryRegion()),
                    Map.of(
                        "name",
                        "POD_NAME",
                        "valueFrom",
                        Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))))),
            Map.entry("ports", List.of(Map.of("name", "http", "containerPort", HTTP_PORT))),
            Map.entry("livenessProbe", probe),
            Map.entry(
                "readinessProbe",
                Map.of(
                    "httpGet", Map.of("path", "/readyz", "port", HTTP_PORT), "periodSeconds", 5)),
            Map.entry(
                "resources",
                Map.of(
                    "requests", Map.of("cpu", "250m", "memory", "512Mi"),
                    "limits", Map.of("memory", "1Gi"))),
            Map.entry(
                "securityContext",
                Map.of(
                    "runAsNonRoot",
                    true,
                    "runAsUser",
                    10001,
                    "readOnlyRootFilesystem",
                    true,
                    "allowPrivilegeEscalation",
                    false,
                    "capabilities",
                    Map.of("drop", List.of("ALL")),
                    "seccompProfile",
                    Map.of("type", "RuntimeDefault"))),
            Map.entry(
                "volumeMounts",
                List.of(
                    Map.of("name", "config", "mountPath", "/etc/liffey", "readOnly", true),
                    Map.of("name", "tmp", "mountPath", "/tmp"))));
    return Map.of(
        "serviceAccountName",
        NAME,
        "priorityClassName",
        NAME,
        "terminationGracePeriodSeconds",
        30,
        "topologySpreadConstraints",
        List.of(
            Map.of(
                "maxSkew",
                1,
                "topologyKey",
                "topology.kubernetes.io/zone",
                "whenUnsatisfiable",
                "ScheduleAnyway",
                "labelSelector",
                Map.of("matchLabels", Map.of("app.kubernetes.io/name", NAME)))),
        "containers",
        List.of(container),
        "volumes",
        List.of(
            Map.of("name", "config", "configMap", Map.of("name", NAME + "-config")),
            Map.of("name", "tmp", "emptyDir", Map.of())));
  }
}
