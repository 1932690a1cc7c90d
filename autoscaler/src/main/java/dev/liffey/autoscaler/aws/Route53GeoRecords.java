package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.ops.GeoRecords;
import dev.liffey.core.config.Routing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The geolocation records of {@code routing.entryName} (SetIdentifier {@code geo-<market>}, as the
 * routing stack makes them): where each market's viewers resolve to. Each market's record is a
 * CNAME, or an A alias, an AAAA alias or both (dual stack, moved together). On-call's drain points
 * them at another region's name; the autoscaler never changes them. Not thread-safe.
 */
public final class Route53GeoRecords implements GeoRecords {
  static final String PREFIX = "geo-";
  private final Routing routing;
  private final Route53Client route53;
  private final Map<String, List<ResourceRecordSet>> records = new LinkedHashMap<>();
  private List<ResourceRecordSet> all = List.of();

  public Route53GeoRecords(Routing routing, Route53Client route53) {
    this.routing = routing;
    this.route53 = route53;
  }

  /**
   * Market code to the name its record points at (without the trailing dot; a dual-stack market's A
   * record's).
   */
  @Override
  public Map<String, String> targets() {
    records.clear();
    all = Route53RecordSets.named(route53, routing.hostedZoneId(), routing.entryName());
    Map<String, String> out = new LinkedHashMap<>();
    for (ResourceRecordSet rs : all) {
      if (Route53RecordSets.routable(rs)
          && rs.setIdentifier() != null
          && rs.setIdentifier().startsWith(PREFIX)) {
        String market = rs.setIdentifier().substring(PREFIX.length()).toUpperCase(Locale.ROOT);
        records.computeIfAbsent(market, m -> new ArrayList<>()).add(rs);
        out.putIfAbsent(market, GeoTarget.of(rs));
      }
    }
    return out;
  }

  /**
   * Points each market's records at a name in this zone, in one change batch; only records that
   * differ change. Checks everything first, so a refusal changes nothing.
   *
   * @throws IllegalStateException when a market has no geolocation record (naming what was found),
   *     a record holds addresses rather than a name, or an alias's new target has no record of its
   *     type
   */
  @Override
  public void point(Map<String, String> marketToName) {
    if (records.isEmpty()) {
      targets();
    }
    List<ResourceRecordSet> upserts = new ArrayList<>();
    Map<String, List<ResourceRecordSet>> targetRecords = new HashMap<>();
    for (Map.Entry<String, String> e : marketToName.entrySet()) {
      List<ResourceRecordSet> current = records.get(e.getKey());
      if (current == null) {
        throw new IllegalStateException(
            "no geolocation record "
                + routing.entryName()
                + " for "
                + e.getKey()
                + " in zone "
                + routing.hostedZoneId()
                + ": "
                + FoundRecords.describe(all, "geolocation"));
      }
      for (ResourceRecordSet rs : current) {
        if (Route53RecordSets.sameName(GeoTarget.of(rs), e.getValue())) {
          continue;
        }
        if (rs.aliasTarget() != null) {
          requireAliasTarget(
              e.getKey(),
              rs,
              e.getValue(),
              targetRecords.computeIfAbsent(
                  e.getValue(), n -> Route53RecordSets.named(route53, routing.hostedZoneId(), n)));
        }
        upserts.add(GeoTarget.pointed(rs, e.getValue(), routing.hostedZoneId()));
      }
    }
    if (upserts.isEmpty()) {
      return;
    }
    List<Change> changes =
        upserts.stream()
            .map(rs -> Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(rs).build())
            .toList();
    route53.changeResourceRecordSets(
        b ->
            b.hostedZoneId(routing.hostedZoneId())
                .changeBatch(
                    c -> c.comment("liffey: geolocation " + marketToName).changes(changes)));
    for (ResourceRecordSet u : upserts) {
      String market = u.setIdentifier().substring(PREFIX.length()).toUpperCase(Locale.ROOT);
      records.get(market).replaceAll(rs -> rs.type() == u.type() ? u : rs);
    }
  }

  /**
   * Route 53 refuses an alias to a name of this zone that has no record of the alias's type; say so
   * first.
   */
  private void requireAliasTarget(
      String market, ResourceRecordSet rs, String name, List<ResourceRecordSet> atName) {
    if (atName.stream().noneMatch(t -> t.type() == rs.type())) {
      throw new IllegalStateException(
          "cannot point "
              + market
              + "'s "
              + rs.typeAsString()
              + " alias "
              + routing.entryName()
              + " at "
              + name
              + ": zone "
              + routing.hostedZoneId()
              + " has no "
              + rs.typeAsString()
              + " record of that name"
              + " (an alias targets a record of its own type: add one, e.g. an alias to the region's load balancer)");
    }
  }
}
