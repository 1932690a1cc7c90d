package dev.liffey.autoscaler.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** Reads every CNAME record set of one name in a hosted zone, across pages. Stateless. */
final class Route53RecordSets {
  private Route53RecordSets() {}

  static List<ResourceRecordSet> named(Route53Client route53, String zoneId, String recordName) {
    String name = absolute(recordName);
    List<ResourceRecordSet> out = new ArrayList<>();
    String startName = name;
    RRType startType = RRType.CNAME;
    String startId = null;
    boolean more = true;
    while (more) {
      final String n = startName;
      final RRType t = startType;
      final String id = startId;
      ListResourceRecordSetsResponse r = route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)
          .startRecordName(n).startRecordType(t).startRecordIdentifier(id));
      for (ResourceRecordSet rs : r.resourceRecordSets()) {
        if (!absolute(rs.name()).equals(name)) {
          more = false;
          break;
        }
        out.add(rs);
      }
      more = more && Boolean.TRUE.equals(r.isTruncated());
      startName = r.nextRecordName();
      startType = r.nextRecordType();
      startId = r.nextRecordIdentifier();
    }
    return out;
  }

  static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }
}
