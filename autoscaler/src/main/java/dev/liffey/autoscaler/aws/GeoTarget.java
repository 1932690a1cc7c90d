package dev.liffey.autoscaler.aws;

import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Where a record sends resolvers, and the same record sent elsewhere: a CNAME's value, or an
 * alias's DNS name (repointed at a name of the record's own zone, evaluate-target-health kept).
 * Stateless.
 */
final class GeoTarget {
  private GeoTarget() {}

  /**
   * The name (or, for a plain A/AAAA record, the first address) a record answers with, without the
   * trailing dot.
   */
  static String of(ResourceRecordSet rs) {
    if (rs.aliasTarget() != null) {
      return Route53RecordSets.relative(rs.aliasTarget().dnsName());
    }
    return rs.hasResourceRecords() && !rs.resourceRecords().isEmpty()
        ? Route53RecordSets.relative(rs.resourceRecords().get(0).value())
        : "";
  }

  /**
   * {@code rs} pointed at {@code name}, everything else kept.
   *
   * @param zoneId the zone {@code name} is in (an alias's target zone)
   * @throws IllegalStateException for a plain A or AAAA record: addresses cannot point at a name
   */
  static ResourceRecordSet pointed(ResourceRecordSet rs, String name, String zoneId) {
    if (rs.aliasTarget() != null) {
      return rs.toBuilder()
          .aliasTarget(rs.aliasTarget().toBuilder().dnsName(name).hostedZoneId(zoneId).build())
          .build();
    }
    if (!"CNAME".equals(rs.typeAsString())) {
      throw new IllegalStateException(
          "cannot point "
              + rs.typeAsString()
              + " record "
              + Route53RecordSets.relative(rs.name())
              + " ("
              + rs.setIdentifier()
              + ") at "
              + name
              + ": it holds addresses, not a name; make it a CNAME or an alias");
    }
    return rs.toBuilder().resourceRecords(r -> r.value(name)).build();
  }
}
