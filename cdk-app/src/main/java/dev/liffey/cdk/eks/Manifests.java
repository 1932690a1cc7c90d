package dev.liffey.cdk.eks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes manifests with every object's keys in sorted order. Built from {@code Map.of}, whose
 * iteration order changes from one JVM to the next, they would synthesize a different template on
 * every run, and every deploy would re-apply them for nothing.
 */
final class Manifests {
  private Manifests() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object>[] ordered(List<Map<String, Object>> manifests) {
    return manifests.stream()
        .map(m -> (Map<String, Object>) ordered((Object) m))
        .toArray(Map[]::new);
  }

  private static Object ordered(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), ordered(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Manifests::ordered).toList();
    }
    return value;
  }
}
