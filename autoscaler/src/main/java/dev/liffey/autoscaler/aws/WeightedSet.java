package dev.liffey.autoscaler.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * One name's weighted records as Route 53 holds them: per region (SetIdentifier = region id) a
 * CNAME, or an A, an AAAA, or both (dual stack), each alias or plain. A region's weight is one
 * number, so a dual-stack region's A and AAAA records move together. Immutable; pure.
 *
 * @param name the weighted name
 * @param zoneId its hosted zone
 * @param all every record set of the name (any type or policy), for saying what was found
 */
record WeightedSet(String name, String zoneId, List<ResourceRecordSet> all) {

  WeightedSet {
    all = List.copyOf(all);
  }

  /** Each region's records, in Route 53's order (A before AAAA). */
  Map<String, List<ResourceRecordSet>> byRegion() {
    Map<String, List<ResourceRecordSet>> out = new LinkedHashMap<>();
    for (ResourceRecordSet rs : all) {
      if (Route53RecordSets.routable(rs) && rs.weight() != null && rs.setIdentifier() != null) {
        out.computeIfAbsent(rs.setIdentifier(), k -> new ArrayList<>()).add(rs);
      }
    }
    return out;
  }

  /**
   * Weight per region, 0-255; a dual-stack region whose records disagree reports its first (A)
   * record's.
   */
  Map<String, Integer> weights() {
    Map<String, Integer> out = new LinkedHashMap<>();
    byRegion().forEach((region, records) -> out.put(region, records.get(0).weight().intValue()));
    return out;
  }

  /**
   * The records to UPSERT so that every region has its weight, changed in place (type, TTL or alias
   * target, values, health check kept); only records whose weight differs, in Route 53's order.
   *
   * @throws IllegalStateException when a region has no weighted record, naming what was found
   */
  List<ResourceRecordSet> upserts(Map<String, Integer> weights) {
    missing(weights.keySet())
        .ifPresent(
            m -> {
              throw new IllegalStateException(m);
            });
    List<ResourceRecordSet> out = new ArrayList<>();
    byRegion()
        .forEach(
            (region, records) -> {
              Integer weight = weights.get(region);
              records.stream()
                  .filter(rs -> weight != null && rs.weight() != weight.longValue())
                  .forEach(rs -> out.add(rs.toBuilder().weight(weight.longValue()).build()));
            });
    return out;
  }

  /** This set after {@code upserted} replaced the records of the same type and SetIdentifier. */
  WeightedSet with(List<ResourceRecordSet> upserted) {
    List<ResourceRecordSet> out = new ArrayList<>(all);
    for (ResourceRecordSet u : upserted) {
      out.replaceAll(
          rs -> rs.type() == u.type() && u.setIdentifier().equals(rs.setIdentifier()) ? u : rs);
    }
    return new WeightedSet(name, zoneId, out);
  }

  /**
   * Why the set cannot carry {@code regions}' weights: the regions missing and what was found;
   * empty when it can.
   */
  Optional<String> missing(Collection<String> regions) {
    Map<String, List<ResourceRecordSet>> present = byRegion();
    List<String> absent = regions.stream().filter(r -> !present.containsKey(r)).sorted().toList();
    if (absent.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "no weighted record "
            + Route53RecordSets.relative(name)
            + " for "
            + String.join(", ", absent)
            + " in zone "
            + zoneId
            + ": "
            + FoundRecords.describe(all, "weighted"));
  }

  /**
   * Where each record sends viewers, by region and record type: a CNAME's name, an alias's DNS
   * name, or a plain record's values.
   */
  Map<String, String> targets() {
    Map<String, String> out = new LinkedHashMap<>();
    byRegion()
        .forEach(
            (region, records) ->
                records.forEach(rs -> out.put(region + " " + rs.typeAsString(), target(rs))));
    return out;
  }

  static String target(ResourceRecordSet rs) {
    if (rs.aliasTarget() != null) {
      return Route53RecordSets.relative(rs.aliasTarget().dnsName());
    }
    return rs.resourceRecords().stream()
        .map(r -> Route53RecordSets.relative(r.value()))
        .sorted()
        .collect(Collectors.joining(","));
  }

  /** Dual-stack regions whose A and AAAA weights differ, in words; empty when none do. */
  Optional<String> disagreements() {
    String out =
        byRegion().entrySet().stream()
            .filter(
                e -> e.getValue().stream().map(ResourceRecordSet::weight).distinct().count() > 1)
            .map(
                e ->
                    e.getKey()
                        + " ("
                        + e.getValue().stream()
                            .map(rs -> rs.typeAsString() + " " + rs.weight())
                            .collect(Collectors.joining(", "))
                        + ")")
            .collect(Collectors.joining("; "));
    return out.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "weights of one region differ between its records in "
                + Route53RecordSets.relative(name)
                + ": "
                + out
                + "; reading the first, and the next change moves them all");
  }
}
