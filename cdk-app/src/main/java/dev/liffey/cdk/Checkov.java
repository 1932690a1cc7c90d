package dev.liffey.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Acknowledges a checkov finding on every CloudFormation resource of one construct (and its
 * children), with the reason: the resource's {@code Metadata.checkov.skip} entry {@code {id,
 * comment}}, which checkov reports as skipped with that comment. Every checkov acknowledgement in
 * Liffey goes through here, beside the resource it concerns, as cdk-nag's go through {@link Nag}.
 * Not thread-safe (construct trees are not).
 */
public final class Checkov {
  static final String METADATA_KEY = "checkov";

  private Checkov() {}

  /**
   * @param checkId checkov's id, like {@code CKV_AWS_88}
   * @param reason why the finding does not apply here, in a sentence a reviewer can check
   */
  public static void acknowledge(IConstruct construct, String checkId, String reason) {
    if (!checkId.startsWith("CKV")) {
      throw new IllegalArgumentException("not a checkov check id: " + checkId);
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("checkov " + checkId + " acknowledged without a reason");
    }
    for (IConstruct c : construct.getNode().findAll()) {
      if (c instanceof CfnResource resource) {
        skip(resource, checkId, reason);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void skip(CfnResource resource, String checkId, String reason) {
    Object existing = resource.getMetadata(METADATA_KEY);
    List<Object> skips = new ArrayList<>();
    if (existing instanceof Map<?, ?> map && map.get("skip") instanceof List<?> list) {
      skips.addAll((List<Object>) list);
    }
    boolean already =
        skips.stream().anyMatch(s -> s instanceof Map<?, ?> m && checkId.equals(m.get("id")));
    if (!already) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", checkId);
      entry.put("comment", reason);
      skips.add(entry);
    }
    resource.addMetadata(METADATA_KEY, Map.of("skip", skips));
  }
}
