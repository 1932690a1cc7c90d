package dev.liffey.it.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.liffey.it.cdk.SynthesizedApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes objects a region's EKS stack deploys, read from the synthesized template (the
 * manifests of its {@code Custom::AWSCDK-EKS-KubernetesResource} resources), and applied to a test
 * API server as {@code cdk deploy} would apply them.
 */
public final class SynthesizedManifests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST_TYPE = "Custom::AWSCDK-EKS-KubernetesResource";
  private static final String ACCESS_ENTRY_TYPE = "AWS::EKS::AccessEntry";
  // Values CloudFormation resolves at deploy time (an image URI, an ARN): not what these tests
  // read.
  private static final String UNRESOLVED = "unresolved-at-synth";

  private final List<ObjectNode> objects;
  private final Map<String, List<String>> accessEntries;

  private SynthesizedManifests(List<ObjectNode> objects, Map<String, List<String>> accessEntries) {
    this.objects = objects;
    this.accessEntries = accessEntries;
  }

  /** Every manifest object of {@code Liffey-<region>-Eks}, in the template's order. */
  public static SynthesizedManifests of(String region) throws IOException, InterruptedException {
    JsonNode resources = SynthesizedApp.template("Liffey-" + region + "-Eks").path("Resources");
    List<ObjectNode> objects = new ArrayList<>();
    Map<String, List<String>> entries = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      JsonNode resource = it.next().getValue();
      if (ACCESS_ENTRY_TYPE.equals(resource.path("Type").asText())) {
        JsonNode groups = resource.path("Properties").path("KubernetesGroups");
        String principal = text(resource.path("Properties").path("PrincipalArn"));
        if (groups.size() > 0 && principal.contains(":role/")) {
          List<String> names = new ArrayList<>();
          groups.forEach(g -> names.add(g.asText()));
          entries.put(principal.substring(principal.lastIndexOf(":role/") + 6), names);
        }
        continue;
      }
      if (!MANIFEST_TYPE.equals(resource.path("Type").asText())) {
        continue;
      }
      JsonNode parsed = JSON.readTree(text(resource.path("Properties").path("Manifest")));
      parsed.forEach(o -> objects.add((ObjectNode) o));
    }
    if (objects.isEmpty()) {
      throw new AssertionError("no Kubernetes manifests in Liffey-" + region + "-Eks");
    }
    return new SynthesizedManifests(objects, entries);
  }

  /** A property: a string, or an {@code Fn::Join} whose tokens cannot be resolved here. */
  private static String text(JsonNode manifest) {
    if (manifest.isTextual()) {
      return manifest.asText();
    }
    JsonNode join = manifest.path("Fn::Join");
    StringBuilder s = new StringBuilder();
    for (JsonNode part : join.path(1)) {
      s.append(part.isTextual() ? part.asText() : UNRESOLVED);
    }
    return s.toString();
  }

  /** The objects of these kinds. */
  public List<ObjectNode> ofKinds(Set<String> kinds) {
    return objects.stream().filter(o -> kinds.contains(o.path("kind").asText())).toList();
  }

  /**
   * The stack's EKS access entries that map an IAM role to Kubernetes groups: role name to groups.
   */
  public Map<String, List<String>> accessEntries() {
    return accessEntries;
  }

  /** Every object. */
  public List<ObjectNode> all() {
    return List.copyOf(objects);
  }

  /**
   * Creates the objects of these kinds, cluster-scoped ones (namespaces, cluster roles, priority
   * classes) first, through {@code client}.
   */
  public void apply(KubernetesClient client, Set<String> kinds) {
    List<ObjectNode> chosen = new ArrayList<>(ofKinds(kinds));
    chosen.sort(
        (a, b) ->
            Boolean.compare(
                a.path("metadata").has("namespace"), b.path("metadata").has("namespace")));
    for (ObjectNode o : chosen) {
      client.resource(o.toString()).create();
    }
  }
}
