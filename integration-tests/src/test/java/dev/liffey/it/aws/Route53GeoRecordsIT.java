package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.aws.Route53GeoRecords;
import dev.liffey.core.config.Routing;
import dev.liffey.it.emulator.EmulatorTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The geolocation records on-call's drain moves, made as a dual-stack team makes them: A and AAAA
 * aliases (to a load balancer, or to the names of the same zone), read from and pointed in the
 * emulator, and read back from it.
 */
class Route53GeoRecordsIT extends EmulatorTest {
  private Route53Client r53;
  private Routing routing;

  /** A zone whose regional names hold A (and, but for {@code noAaaa}, AAAA) records. */
  private void zone(String noAaaa) {
    r53 = aws.route53();
    String zoneId =
        r53.createHostedZone(
                b ->
                    b.name(config.routing().hostedZone())
                        .callerReference("it-" + System.nanoTime()))
            .hostedZone()
            .id()
            .replace("/hostedzone/", "");
    routing =
        new Routing(
            config.routing().market(),
            config.routing().hostedZone(),
            zoneId,
            config.routing().entryName(),
            config.routing().recordName(),
            60,
            40,
            config.routing().initialWeights(),
            config.routing().healthCheck());
    List<ResourceRecordSet> records = new ArrayList<>();
    for (String region : config.regionIds()) {
      records.add(
          ResourceRecordSet.builder()
              .name(routing.regionalName(region))
              .type(RRType.A)
              .ttl(60L)
              .resourceRecords(r -> r.value("192.0.2.10"))
              .build());
      if (!region.equals(noAaaa)) {
        records.add(
            ResourceRecordSet.builder()
                .name(routing.regionalName(region))
                .type(RRType.AAAA)
                .ttl(60L)
                .resourceRecords(r -> r.value("2001:db8::10"))
                .build());
      }
    }
    for (RRType type : List.of(RRType.A, RRType.AAAA)) {
      records.add(geo(type, "IE", routing.recordName() + ".", zoneId, false));
      records.add(
          geo(
              type,
              "GB",
              "dualstack.liffey-eu-west-2-1234567890.eu-west-2.elb.amazonaws.com.",
              "ZHURV8PSTC4K8",
              true));
      records.add(geo(type, "DE", routing.regionalName("eu-central-1") + ".", zoneId, false));
    }
    List<Change> changes =
        records.stream()
            .map(rs -> Change.builder().action(ChangeAction.CREATE).resourceRecordSet(rs).build())
            .toList();
    r53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(changes)));
  }

  private ResourceRecordSet geo(
      RRType type, String market, String target, String targetZone, boolean health) {
    return ResourceRecordSet.builder()
        .name(routing.entryName())
        .type(type)
        .setIdentifier("geo-" + market)
        .geoLocation(g -> g.countryCode(market))
        .aliasTarget(a -> a.dnsName(target).hostedZoneId(targetZone).evaluateTargetHealth(health))
        .build();
  }

  private List<ResourceRecordSet> geoRecords() {
    return r53
        .listResourceRecordSets(b -> b.hostedZoneId(routing.hostedZoneId()))
        .resourceRecordSets()
        .stream()
        .filter(rs -> rs.name().equals(routing.entryName() + "."))
        .toList();
  }

  @Test
  void
      readsAliasTargets_andPointsADualStackMarketAtAnotherRegion_keepingTypeGeoLocationAndTargetHealth() {
    zone(null);
    List<ResourceRecordSet> before = geoRecords();
    Route53GeoRecords geo = new Route53GeoRecords(routing, r53);

    assertThat(geo.targets())
        .isEqualTo(
            Map.of(
                "IE",
                "ie.edge.live.liffey.example",
                "GB",
                "dualstack.liffey-eu-west-2-1234567890.eu-west-2.elb.amazonaws.com",
                "DE",
                "eu-central-1.edge.live.liffey.example"));
    geo.point(
        Map.of(
            "GB", routing.regionalName("eu-west-1"), "DE", routing.regionalName("eu-central-1")));

    List<ResourceRecordSet> after = geoRecords();
    assertThat(after).hasSize(6);
    assertThat(after)
        .filteredOn(rs -> !"geo-GB".equals(rs.setIdentifier()))
        .containsExactlyInAnyOrderElementsOf(
            before.stream().filter(rs -> !"geo-GB".equals(rs.setIdentifier())).toList());
    assertThat(after)
        .filteredOn(rs -> "geo-GB".equals(rs.setIdentifier()))
        .extracting(ResourceRecordSet::type)
        .containsExactlyInAnyOrder(RRType.A, RRType.AAAA);
    assertThat(after)
        .filteredOn(rs -> "geo-GB".equals(rs.setIdentifier()))
        .allSatisfy(
            rs -> {
              assertThat(rs.geoLocation().countryCode()).isEqualTo("GB");
              assertThat(rs.aliasTarget().dnsName())
                  .isIn(
                      "eu-west-1.edge.live.liffey.example", "eu-west-1.edge.live.liffey.example.");
              assertThat(rs.aliasTarget().hostedZoneId()).isEqualTo(routing.hostedZoneId());
              assertThat(rs.aliasTarget().evaluateTargetHealth()).isTrue();
            });
    assertThat(new Route53GeoRecords(routing, r53).targets())
        .containsEntry("GB", "eu-west-1.edge.live.liffey.example");
  }

  @Test
  void refusesAnAliasToANameWithoutARecordOfItsType_andChangesNothing() {
    zone("eu-central-1");
    List<ResourceRecordSet> before = geoRecords();
    Route53GeoRecords geo = new Route53GeoRecords(routing, r53);

    assertThatThrownBy(() -> geo.point(Map.of("GB", routing.regionalName("eu-central-1"))))
        .hasMessage(
            "cannot point GB's AAAA alias edge.live.liffey.example at eu-central-1.edge.live.liffey.example:"
                + " zone "
                + routing.hostedZoneId()
                + " has no AAAA record of that name (an alias targets a record of its"
                + " own type: add one, e.g. an alias to the region's load balancer)");
    assertThat(geoRecords()).isEqualTo(before);
  }

  @Test
  void aMarketWithoutARecord_isNamedWithWhatWasFound() {
    zone(null);
    Route53GeoRecords geo = new Route53GeoRecords(routing, r53);

    assertThatThrownBy(() -> geo.point(Map.of("FR", routing.regionalName("eu-west-1"))))
        .hasMessageStartingWith(
            "no geolocation record edge.live.liffey.example for FR in zone "
                + routing.hostedZoneId()
                + ": found A alias records for ")
        .hasMessageContaining("geo-GB")
        .hasMessageEndingWith(" only");
  }
}
