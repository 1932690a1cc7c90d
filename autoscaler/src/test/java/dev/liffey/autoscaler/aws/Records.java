package dev.liffey.autoscaler.aws;

import java.util.Arrays;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** Record sets as Route 53 lists them (absolute names), for the tests. */
final class Records {
  static final String WEIGHTED = "ie.edge.live.liffey.example.";
  static final String ENTRY = "edge.live.liffey.example.";
  static final String ZONE = "Z04LIFFEYEXAMPLE00001";

  /** What an ELB's alias target looks like: its DNS name in the load balancers' own hosted zone. */
  static final String ELB_ZONE = "Z32O12XQLNTSW2";

  private Records() {}

  static ResourceRecordSet plain(String name, RRType type, String... values) {
    return ResourceRecordSet.builder()
        .name(name)
        .type(type)
        .ttl(60L)
        .resourceRecords(
            Arrays.stream(values).map(v -> ResourceRecord.builder().value(v).build()).toList())
        .build();
  }

  static ResourceRecordSet weighted(RRType type, String region, long weight, String... values) {
    return plain(WEIGHTED, type, values).toBuilder()
        .setIdentifier(region)
        .weight(weight)
        .healthCheckId("hc-" + region)
        .build();
  }

  static ResourceRecordSet weightedAlias(RRType type, String region, long weight) {
    return ResourceRecordSet.builder()
        .name(WEIGHTED)
        .type(type)
        .setIdentifier(region)
        .weight(weight)
        .aliasTarget(
            a ->
                a.dnsName("dualstack.liffey-" + region + ".elb.amazonaws.com.")
                    .hostedZoneId(ELB_ZONE)
                    .evaluateTargetHealth(true))
        .build();
  }
}
