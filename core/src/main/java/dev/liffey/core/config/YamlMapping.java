package dev.liffey.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read key by key. Every read records the key as known; {@link #rejectUnknownKeys()}
 * then reports every key nobody asked for, with the nearest known key as a hint. Reads of missing
 * or malformed values report a problem and return empty, so one pass finds every problem.
 */
final class YamlMapping {
  private final Problems problems;
  private final String path;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  private YamlMapping(Problems problems, String path, Node node) {
    this.problems = problems;
    this.path = path;
    this.node = node;
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
        if (key == null) {
          problems.error(tuple.getKeyNode().getStartMark(), path, "keys must be plain words", "");
        } else if (entries.putIfAbsent(key, tuple) != null) {
          problems.error(
              tuple.getKeyNode().getStartMark(),
              child(key),
              "'" + key + "' appears twice",
              "keep one of them");
        } else {
          problems.seen(child(key), tuple.getValueNode().getStartMark());
        }
      }
    }
  }

  /** Reads {@code node} as a mapping, or reports that it is not one. */
  static Optional<YamlMapping> of(Problems problems, String path, Node node) {
    if (!(node instanceof MappingNode)) {
      problems.error(
          node.getStartMark(),
          path,
          "expected a mapping of keys to values, got " + describe(node),
          "indent the keys under '" + lastSegment(path) + "'");
      return Optional.empty();
    }
    return Optional.of(new YamlMapping(problems, path, node));
  }

  String path() {
    return path;
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    known.add(key);
    return entries.containsKey(key) && !isNull(entries.get(key).getValueNode());
  }

  Set<String> keys() {
    return entries.keySet();
  }

  Optional<Node> node(String key, boolean required, String hint) {
    known.add(key);
    NodeTuple tuple = entries.get(key);
    if (tuple == null || isNull(tuple.getValueNode())) {
      if (required) {
        problems.error(node.getStartMark(), child(key), "'" + key + "' is required", hint);
      }
      return Optional.empty();
    }
    return Optional.of(tuple.getValueNode());
  }

  Optional<YamlMapping> mapping(String key, boolean required) {
    return node(key, required, "add a '" + key + ":' section")
        .flatMap(n -> YamlMapping.of(problems, child(key), n));
  }

  Optional<String> string(String key, boolean required, String hint) {
    return node(key, required, hint).flatMap(n -> scalar(n, child(key)));
  }

  Optional<String> matching(
      String key, boolean required, Pattern pattern, String what, String hint) {
    Optional<String> value = string(key, required, hint);
    if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
      problems.error(child(key), "'" + value.get() + "' is not " + what, hint);
      return Optional.empty();
    }
    return value;
  }

  Optional<Integer> integer(String key, boolean required, long min, long max, String hint) {
    Optional<String> text = string(key, required, hint);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    long value;
    try {
      value = Long.parseLong(text.get().replace("_", ""));
    } catch (NumberFormatException e) {
      problems.error(child(key), "'" + text.get() + "' is not a whole number", hint);
      return Optional.empty();
    }
    if (value < min || value > max) {
      problems.error(child(key), value + " is out of range " + range(min, max), hint);
      return Optional.empty();
    }
    return Optional.of((int) value);
  }

  /** {@code true} or {@code false}, as YAML 1.2 spells them. */
  Optional<Boolean> bool(String key, boolean required, String hint) {
    Optional<String> text = string(key, required, hint);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return switch (text.get()) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> {
        problems.error(child(key), "'" + text.get() + "' is not true or false", hint);
        yield Optional.empty();
      }
    };
  }

  Optional<Duration> seconds(String key, boolean required, long min, long max, String hint) {
    return integer(key, required, min, max, hint).map(Duration::ofSeconds);
  }

  Optional<Double> decimal(
      String key, boolean required, double min, double max, boolean minExclusive, String hint) {
    Optional<String> text = string(key, required, hint);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    double value;
    try {
      value = Double.parseDouble(text.get().replace("_", ""));
    } catch (NumberFormatException e) {
      problems.error(child(key), "'" + text.get() + "' is not a number", hint);
      return Optional.empty();
    }
    boolean below = minExclusive ? value <= min : value < min;
    if (Double.isNaN(value) || below || value > max) {
      problems.error(
          child(key),
          text.get()
              + " is out of range "
              + (minExclusive ? "(" : "[")
              + fmt(min)
              + ", "
              + fmt(max)
              + "]",
          hint);
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** The items of a sequence under {@code key}, each with its path {@code key[i]}. */
  List<Item> sequence(String key, boolean required, boolean nonEmpty, String hint) {
    Optional<Node> value = node(key, required, hint);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      problems.error(
          value.get().getStartMark(),
          child(key),
          "expected a list, got " + describe(value.get()),
          "write each item on its own line starting with '- '");
      return List.of();
    }
    if (nonEmpty && seq.getValue().isEmpty()) {
      problems.error(seq.getStartMark(), child(key), "must not be empty", hint);
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String itemPath = child(key) + "[" + i + "]";
      problems.seen(itemPath, item.getStartMark());
      items.add(new Item(itemPath, item));
    }
    return items;
  }

  /** A list of scalar strings. */
  List<String> strings(String key, boolean required, boolean nonEmpty, String hint) {
    List<String> out = new ArrayList<>();
    for (Item item : sequence(key, required, nonEmpty, hint)) {
      scalar(item.node(), item.path()).ifPresent(out::add);
    }
    return out;
  }

  Optional<String> scalar(Node n, String at) {
    if (n instanceof ScalarNode s) {
      return Optional.of(s.getValue());
    }
    problems.error(n.getStartMark(), at, "expected a single value, got " + describe(n), "");
    return Optional.empty();
  }

  void rejectUnknownKeys() {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!known.contains(e.getKey())) {
        String hint =
            nearest(e.getKey())
                .map(k -> "did you mean '" + k + "'?")
                .orElse("known keys here: " + String.join(", ", known));
        problems.error(
            e.getValue().getKeyNode().getStartMark(),
            child(e.getKey()),
            "unknown key '" + e.getKey() + "'",
            hint);
      }
    }
  }

  /**
   * The known key a typo most likely meant: a few edits away, or an abbreviation sharing a long
   * prefix.
   */
  private Optional<String> nearest(String key) {
    String typed = key.toLowerCase();
    return known.stream()
        .min(Comparator.comparingInt(k -> editDistance(k.toLowerCase(), typed)))
        .filter(
            k ->
                editDistance(k.toLowerCase(), typed) <= Math.max(2, typed.length() / 3)
                    || commonPrefix(k.toLowerCase(), typed) >= 5);
  }

  private static int commonPrefix(String a, String b) {
    int n = 0;
    while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
  }

  static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return n instanceof ScalarNode s ? "'" + s.getValue() + "'" : "something else";
  }

  private static String lastSegment(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  private static String range(long min, long max) {
    return "[" + min + ", " + (max == Integer.MAX_VALUE ? "..." : String.valueOf(max)) + "]";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** One item of a sequence, with its path. */
  record Item(String path, Node node) {}
}
