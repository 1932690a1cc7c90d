package dev.liffey.cdk;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Logical IDs as the CDK makes them ({@code makeUniqueId}: the path's ids, then an 8-character hash
 * of the path), with the ids of some of a stack's own constructs left out of the path. A stack that
 * groups its resources into constructs after it was deployed keeps every logical ID it had, so
 * CloudFormation replaces nothing: a group, a load balancer or a DNS record moved into a construct
 * stays the resource it was.
 */
public final class FlatLogicalIds {
  /** The CDK leaves these out of the path, and "Resource" out of the readable part. */
  private static final String HIDDEN = "Default";

  private static final String HIDDEN_FROM_HUMAN = "Resource";
  private static final int HASH_LENGTH = 8;
  private static final int MAX_HUMAN_LENGTH = 240;
  private static final int MAX_ID_LENGTH = 255;

  private FlatLogicalIds() {}

  /**
   * The unique ids (as the CDK names constructs inside ids it makes, like a security group rule's
   * "from <peer's unique id>") of every construct under the {@code flat} children of {@code stack},
   * to what they were before those children were there.
   */
  public static Map<String, String> renames(Stack stack, Set<String> flat) {
    Map<String, String> out = new HashMap<>();
    for (IConstruct child : stack.getNode().getChildren()) {
      if (!flat.contains(child.getNode().getId())) {
        continue;
      }
      for (IConstruct c : child.getNode().findAll()) {
        List<String> path = new ArrayList<>();
        List<IConstruct> scopes = c.getNode().getScopes();
        for (int i = 1; i < scopes.size(); i++) { // the app's own id is no part of it
          if (scopes.get(i) != child) {
            path.add(scopes.get(i).getNode().getId());
          }
        }
        out.put(Names.uniqueId(c), unique(path));
      }
    }
    return out;
  }

  /**
   * The logical ID of {@code element} in {@code stack}, as if the constructs named in {@code flat}
   * (direct children of the stack) were not there; {@code renames} (from {@link #renames}) puts
   * back the unique ids other constructs' ids were made from.
   */
  public static String of(
      Stack stack, CfnElement element, Set<String> flat, Map<String, String> renames) {
    List<IConstruct> scopes = element.getNode().getScopes();
    int at = -1;
    for (int i = 0; i < scopes.size(); i++) {
      if (scopes.get(i) == stack) {
        at = i;
      }
    }
    List<String> path = new ArrayList<>();
    for (int i = at + 1; i < scopes.size(); i++) {
      String id = scopes.get(i).getNode().getId();
      if (i == at + 1 && flat.contains(id) && i < scopes.size() - 1) {
        continue;
      }
      for (Map.Entry<String, String> r : renames.entrySet()) {
        if (id.contains(r.getKey())) {
          id = id.replace(r.getKey(), r.getValue());
        }
      }
      path.add(id);
    }
    return unique(path);
  }

  /** The CDK's {@code makeUniqueId}. */
  static String unique(List<String> components) {
    List<String> path = components.stream().filter(c -> !c.equals(HIDDEN)).toList();
    if (path.isEmpty()) {
      throw new IllegalArgumentException("no path to make a logical ID of");
    }
    if (path.size() == 1) {
      String candidate = alphanumeric(path.get(0));
      if (candidate.length() <= MAX_ID_LENGTH) {
        return candidate;
      }
    }
    StringBuilder human = new StringBuilder();
    List<String> kept = new ArrayList<>();
    for (String c : path) {
      if (kept.isEmpty() || !kept.get(kept.size() - 1).endsWith(c)) {
        kept.add(c);
      }
    }
    kept.stream()
        .filter(c -> !c.equals(HIDDEN_FROM_HUMAN))
        .map(FlatLogicalIds::alphanumeric)
        .forEach(human::append);
    String readable =
        human.length() > MAX_HUMAN_LENGTH ? human.substring(0, MAX_HUMAN_LENGTH) : human.toString();
    return readable + hash(String.join("/", path));
  }

  private static String alphanumeric(String s) {
    return s.replaceAll("[^A-Za-z0-9]", "");
  }

  private static String hash(String path) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(path.getBytes(StandardCharsets.UTF_8));
      String hex = String.format("%032x", new BigInteger(1, md5));
      return hex.substring(0, HASH_LENGTH).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no MD5 in this JVM", e);
    }
  }
}
