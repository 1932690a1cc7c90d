package dev.liffey.autoscaler.aws;

import static dev.liffey.autoscaler.aws.Records.ENTRY;
import static dev.liffey.autoscaler.aws.Records.ZONE;
import static dev.liffey.autoscaler.aws.Records.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.GeoLocation;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class GeoTargetTest {
  private static final GeoLocation GB = GeoLocation.builder().countryCode("GB").build();

  @Test
  void aCnameIsRepointedByItsValue() {
    ResourceRecordSet cname =
        plain(ENTRY, RRType.CNAME, "eu-west-2.edge.live.liffey.example").toBuilder()
            .setIdentifier("geo-GB")
            .geoLocation(GB)
            .build();

    ResourceRecordSet pointed =
        GeoTarget.pointed(cname, "eu-west-1.edge.live.liffey.example", ZONE);

    assertThat(GeoTarget.of(cname)).isEqualTo("eu-west-2.edge.live.liffey.example");
    assertThat(pointed)
        .isEqualTo(
            cname.toBuilder()
                .resourceRecords(r -> r.value("eu-west-1.edge.live.liffey.example"))
                .build());
  }

  @Test
  void anAliasIsRepointedAtANameOfThisZone_keepingItsTypeAndTargetHealth() {
    ResourceRecordSet alias =
        ResourceRecordSet.builder()
            .name(ENTRY)
            .type(RRType.AAAA)
            .setIdentifier("geo-GB")
            .geoLocation(GB)
            .aliasTarget(
                a ->
                    a.dnsName("dualstack.liffey-eu-west-2.elb.amazonaws.com.")
                        .hostedZoneId(Records.ELB_ZONE)
                        .evaluateTargetHealth(true))
            .build();

    ResourceRecordSet pointed =
        GeoTarget.pointed(alias, "eu-west-1.edge.live.liffey.example", ZONE);

    assertThat(GeoTarget.of(alias)).isEqualTo("dualstack.liffey-eu-west-2.elb.amazonaws.com");
    assertThat(pointed.type()).isEqualTo(RRType.AAAA);
    assertThat(pointed.geoLocation()).isEqualTo(GB);
    assertThat(pointed.aliasTarget().dnsName()).isEqualTo("eu-west-1.edge.live.liffey.example");
    assertThat(pointed.aliasTarget().hostedZoneId()).isEqualTo(ZONE);
    assertThat(pointed.aliasTarget().evaluateTargetHealth()).isTrue();
  }

  @Test
  void addressesCannotPointAtAName() {
    ResourceRecordSet a =
        plain(ENTRY, RRType.A, "192.0.2.1").toBuilder()
            .setIdentifier("geo-GB")
            .geoLocation(GB)
            .build();

    assertThatThrownBy(() -> GeoTarget.pointed(a, "eu-west-1.edge.live.liffey.example", ZONE))
        .hasMessage(
            "cannot point A record edge.live.liffey.example (geo-GB) at eu-west-1.edge.live.liffey.example:"
                + " it holds addresses, not a name; make it a CNAME or an alias");
  }
}
