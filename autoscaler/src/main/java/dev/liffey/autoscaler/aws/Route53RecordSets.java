package dev.liffey.autoscaler.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reads every record set of one name in a hosted zone, of every type, across pages. Route 53 lists
 * a zone ordered by name (labels reversed), then type, then SetIdentifier, so one name's records
 * are contiguous and a page may end in the middle of one type's weighted or geolocation records:
 * the next page starts from all three of the previous page's next name, type and identifier.
 * Stateless.
 */
final class Route53RecordSets {
  /** The record types Liffey routes viewers with, and the only ones it may change. */
  static final Set<RRType> ROUTABLE = Set.of(RRType.A, RRType.AAAA, RRType.CNAME);

  private Route53RecordSets() {}

  static List<ResourceRecordSet> named(Route53Client route53, String zoneId, String recordName) {
    String name = absolute(recordName);
    List<ResourceRecordSet> out = new ArrayList<>();
    ListResourceRecordSetsRequest request =
        ListResourceRecordSetsRequest.builder().hostedZoneId(zoneId).startRecordName(name).build();
    while (true) {
      ListResourceRecordSetsResponse page = route53.listResourceRecordSets(request);
      for (ResourceRecordSet rs : page.resourceRecordSets()) {
        if (!sameName(rs.name(), name)) {
          return out;
        }
        out.add(rs);
      }
      if (!Boolean.TRUE.equals(page.isTruncated()) || !sameName(page.nextRecordName(), name)) {
        return out;
      }
      ListResourceRecordSetsRequest next =
          request.toBuilder()
              .startRecordName(page.nextRecordName())
              .startRecordType(page.nextRecordTypeAsString())
              .startRecordIdentifier(page.nextRecordIdentifier())
              .build();
      if (Objects.equals(next.startRecordTypeAsString(), request.startRecordTypeAsString())
          && Objects.equals(next.startRecordIdentifier(), request.startRecordIdentifier())) {
        // Only an API that ignores StartRecordIdentifier gets here; looping would never end.
        throw new IllegalStateException(
            "listing "
                + name
                + " in zone "
                + zoneId
                + " did not advance past type "
                + next.startRecordTypeAsString()
                + ", identifier "
                + next.startRecordIdentifier());
      }
      request = next;
    }
  }

  static boolean routable(ResourceRecordSet rs) {
    return ROUTABLE.contains(rs.type());
  }

  static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** A name as Route 53 returns it, without the trailing dot. */
  static String relative(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** DNS names compare without case; Route 53 returns them absolute. */
  static boolean sameName(String a, String b) {
    return a != null
        && b != null
        && absolute(a).toLowerCase(Locale.ROOT).equals(absolute(b).toLowerCase(Locale.ROOT));
  }
}
