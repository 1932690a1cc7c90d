package dev.liffey.autoscaler.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * What one name holds in a zone, in words, for errors that say what was found instead of the record
 * that was expected: {@code found A alias records for eu-west-1 only}, {@code found a simple CNAME,
 * not a weighted set}. Only A, AAAA and CNAME records are described. Stateless.
 */
final class FoundRecords {
  private FoundRecords() {}

  /**
   * @param records every record set of the name, in Route 53's order
   * @param policy the routing policy expected, as {@link #policy} names it ({@code weighted},
   *     {@code geolocation})
   */
  static String describe(List<ResourceRecordSet> records, String policy) {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    Map<String, List<String>> other = new LinkedHashMap<>();
    for (ResourceRecordSet rs : records) {
      if (!Route53RecordSets.routable(rs)) {
        continue;
      }
      String kind = rs.typeAsString() + (rs.aliasTarget() != null ? " alias" : "");
      String p = policy(rs);
      if (p.equals(policy)) {
        expected.computeIfAbsent(kind, k -> new ArrayList<>()).add(rs.setIdentifier());
      } else {
        other.computeIfAbsent(p + " " + kind, k -> new ArrayList<>()).add(rs.setIdentifier());
      }
    }
    if (expected.isEmpty() && other.isEmpty()) {
      return "found no A, AAAA or CNAME record of that name";
    }
    List<String> parts = new ArrayList<>();
    if (!expected.isEmpty()) {
      parts.add(
          String.join(
                  " and ",
                  expected.entrySet().stream()
                      .map(e -> e.getKey() + " records for " + String.join(", ", e.getValue()))
                      .toList())
              + " only");
    }
    if (!other.isEmpty()) {
      parts.add(
          String.join(
                  " and ",
                  other.entrySet().stream()
                      .map(
                          e ->
                              e.getKey().startsWith("simple ")
                                  ? "a " + e.getKey()
                                  : e.getKey() + " records for " + String.join(", ", e.getValue()))
                      .toList())
              + ", not a "
              + policy
              + " set");
    }
    return "found " + String.join("; ", parts);
  }

  /** The routing policy of a record set, as the Route 53 console names it. */
  static String policy(ResourceRecordSet rs) {
    if (rs.weight() != null) {
      return "weighted";
    } else if (rs.geoLocation() != null) {
      return "geolocation";
    } else if (rs.geoProximityLocation() != null) {
      return "geoproximity";
    } else if (rs.regionAsString() != null) {
      return "latency";
    } else if (rs.failoverAsString() != null) {
      return "failover";
    } else if (rs.multiValueAnswer() != null) {
      return "multivalue answer";
    } else if (rs.cidrRoutingConfig() != null) {
      return "IP-based";
    }
    return "simple";
  }
}
