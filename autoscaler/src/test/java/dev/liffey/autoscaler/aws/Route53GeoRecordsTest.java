package dev.liffey.autoscaler.aws;

import static dev.liffey.autoscaler.aws.Records.ENTRY;
import static dev.liffey.autoscaler.aws.Records.ZONE;
import static dev.liffey.autoscaler.aws.Records.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.GeoLocation;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class Route53GeoRecordsTest {

  private static ResourceRecordSet geoAlias(RRType type, String market, String target) {
    return ResourceRecordSet.builder()
        .name(ENTRY)
        .type(type)
        .setIdentifier("geo-" + market)
        .geoLocation(GeoLocation.builder().countryCode(market).build())
        .aliasTarget(a -> a.dnsName(target + ".").hostedZoneId(ZONE).evaluateTargetHealth(false))
        .build();
  }

  private static ResourceRecordSet regional(RRType type, String region) {
    return plain(
        region + ".edge.live.liffey.example.",
        type,
        type == RRType.A ? "192.0.2.1" : "2001:db8::1");
  }

  @Test
  void movesADualStackMarketsAliasesTogether_toANameThatHasBothTypes() {
    FakeRoute53 r53 =
        new FakeRoute53(
            300,
            geoAlias(RRType.A, "GB", "eu-west-2.edge.live.liffey.example"),
            geoAlias(RRType.AAAA, "GB", "eu-west-2.edge.live.liffey.example"),
            regional(RRType.A, "eu-west-1"),
            regional(RRType.AAAA, "eu-west-1"));
    Route53GeoRecords geo = new Route53GeoRecords(TestConfigs.repository().routing(), r53);

    assertThat(geo.targets()).isEqualTo(Map.of("GB", "eu-west-2.edge.live.liffey.example"));
    geo.point(Map.of("GB", "eu-west-1.edge.live.liffey.example"));

    assertThat(r53.changes)
        .singleElement()
        .satisfies(c -> assertThat(c.changeBatch().changes()).hasSize(2));
    assertThat(new Route53GeoRecords(TestConfigs.repository().routing(), r53).targets())
        .isEqualTo(Map.of("GB", "eu-west-1.edge.live.liffey.example"));
    assertThat(r53.records)
        .filteredOn(rs -> "geo-GB".equals(rs.setIdentifier()))
        .extracting(ResourceRecordSet::typeAsString)
        .containsExactlyInAnyOrder("A", "AAAA");
  }

  @Test
  void refusesAnAliasToANameWithoutARecordOfItsType_andChangesNothing() {
    FakeRoute53 r53 =
        new FakeRoute53(
            300,
            geoAlias(RRType.A, "GB", "eu-west-2.edge.live.liffey.example"),
            geoAlias(RRType.AAAA, "GB", "eu-west-2.edge.live.liffey.example"),
            regional(RRType.A, "eu-west-1"));
    Route53GeoRecords geo = new Route53GeoRecords(TestConfigs.repository().routing(), r53);

    assertThatThrownBy(() -> geo.point(Map.of("GB", "eu-west-1.edge.live.liffey.example")))
        .hasMessage(
            "cannot point GB's AAAA alias edge.live.liffey.example at eu-west-1.edge.live.liffey.example:"
                + " zone Z04LIFFEYEXAMPLE00001 has no AAAA record of that name (an alias targets a record of its own type:"
                + " add one, e.g. an alias to the region's load balancer)");
    assertThat(r53.changes).isEmpty();
  }

  @Test
  void aMarketWithoutARecord_isNamedWithWhatWasFound() {
    FakeRoute53 r53 =
        new FakeRoute53(300, geoAlias(RRType.A, "DE", "eu-central-1.edge.live.liffey.example"));
    Route53GeoRecords geo = new Route53GeoRecords(TestConfigs.repository().routing(), r53);

    assertThatThrownBy(() -> geo.point(Map.of("GB", "eu-west-1.edge.live.liffey.example")))
        .hasMessage(
            "no geolocation record edge.live.liffey.example for GB in zone Z04LIFFEYEXAMPLE00001:"
                + " found A alias records for geo-DE only");
  }
}
