package dev.liffey.autoscaler.aws;

import dev.liffey.core.config.Routing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The geolocation records of {@code routing.entryName} (SetIdentifier {@code geo-<market>}, as the
 * routing stack makes them): where each market's viewers resolve to. On-call's drain points them
 * at another region; the autoscaler never changes them. Not thread-safe.
 */
public final class Route53GeoRecords {
  static final String PREFIX = "geo-";
  private final Routing routing;
  private final Route53Client route53;
  private final Map<String, ResourceRecordSet> records = new LinkedHashMap<>();

  public Route53GeoRecords(Routing routing, Route53Client route53) {
    this.routing = routing;
    this.route53 = route53;
  }

  /** Market code to the name its record points at (without the trailing dot). */
  public Map<String, String> targets() {
    records.clear();
    Map<String, String> out = new LinkedHashMap<>();
    for (ResourceRecordSet rs : Route53RecordSets.named(route53, routing.hostedZoneId(), routing.entryName())) {
      if (rs.setIdentifier() != null && rs.setIdentifier().startsWith(PREFIX) && rs.hasResourceRecords()
          && !rs.resourceRecords().isEmpty()) {
        String market = rs.setIdentifier().substring(PREFIX.length()).toUpperCase(java.util.Locale.ROOT);
        records.put(market, rs);
        out.put(market, strip(rs.resourceRecords().get(0).value()));
      }
    }
    return out;
  }

  /** Points each market's record at a name, in one change batch; only records that differ change. */
  public void point(Map<String, String> marketToName) {
    if (records.isEmpty()) {
      targets();
    }
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, String> e : marketToName.entrySet()) {
      ResourceRecordSet current = records.get(e.getKey());
      if (current == null) {
        throw new IllegalStateException("no geolocation record " + routing.entryName() + " for " + e.getKey()
            + " in zone " + routing.hostedZoneId() + " (deploy the routing stack)");
      }
      if (strip(current.resourceRecords().get(0).value()).equals(strip(e.getValue()))) {
        continue;
      }
      ResourceRecordSet updated = current.toBuilder().resourceRecords(r -> r.value(e.getValue())).build();
      changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(updated).build());
      records.put(e.getKey(), updated);
    }
    if (!changes.isEmpty()) {
      route53.changeResourceRecordSets(b -> b.hostedZoneId(routing.hostedZoneId()).changeBatch(c -> c
          .comment("liffey: geolocation " + marketToName).changes(changes)));
    }
  }

  private static String strip(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
