package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.core.config.Routing;
import dev.liffey.it.emulator.EmulatorTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The Irish weighted set in every shape a team may give it (the routing stack's CNAMEs, A or AAAA
 * records with addresses, A/AAAA aliases to load balancers or to names in the same zone, a
 * dual-stack pair), read from and written to the emulator, and read back from it.
 */
class Route53RoutingActuatorIT extends EmulatorTest {
  /**
   * The load balancers' own hosted zones (ALB/CLB, eu-west-1 and eu-west-2), as their alias targets
   * name them.
   */
  private static final Map<String, String> ELB_ZONES =
      Map.of("eu-west-1", "Z32O12XQLNTSW2", "eu-west-2", "ZHURV8PSTC4K8");

  /** How each region's record of the weighted set is made. */
  enum Shape {
    CNAME(RRType.CNAME),
    PLAIN_A(RRType.A),
    PLAIN_AAAA(RRType.AAAA),
    A_ALIAS_TO_LOAD_BALANCER(RRType.A),
    AAAA_ALIAS_TO_LOAD_BALANCER(RRType.AAAA),
    A_ALIAS_TO_NAME_IN_ZONE(RRType.A);

    final RRType type;

    Shape(RRType type) {
      this.type = type;
    }
  }

  private Route53Client r53;
  private Routing routing;
  private String healthCheckId;

  /**
   * A fresh zone holding each region's regional name (A and AAAA), and a health check; nothing
   * weighted yet.
   */
  private void zone() {
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
    healthCheckId =
        r53.createHealthCheck(
                b ->
                    b.callerReference("hc-" + System.nanoTime())
                        .healthCheckConfig(
                            h ->
                                h.type("HTTPS")
                                    .fullyQualifiedDomainName(
                                        "signal." + routing.regionalName("eu-west-1"))
                                    .port(443)
                                    .resourcePath("/healthz")))
            .healthCheck()
            .id();
    create(
        routing.initialWeights().keySet().stream()
            .flatMap(
                region ->
                    List.of(
                        plain(routing.regionalName(region), RRType.A, "192.0.2.10"),
                        plain(routing.regionalName(region), RRType.AAAA, "2001:db8::10"))
                        .stream())
            .toArray(ResourceRecordSet[]::new));
  }

  private ResourceRecordSet record(Shape shape, String region, long weight) {
    ResourceRecordSet.Builder b =
        ResourceRecordSet.builder()
            .name(routing.recordName())
            .type(shape.type)
            .setIdentifier(region)
            .weight(weight);
    return switch (shape) {
      case CNAME ->
          b.ttl(60L)
              .healthCheckId(healthCheckId)
              .resourceRecords(r -> r.value(routing.regionalName(region)))
              .build();
      case PLAIN_A ->
          b.ttl(30L)
              .healthCheckId(healthCheckId)
              .resourceRecords(r -> r.value("192.0.2.1"), r -> r.value("192.0.2.2"))
              .build();
      case PLAIN_AAAA -> b.ttl(30L).resourceRecords(r -> r.value("2001:db8::1")).build();
      case A_ALIAS_TO_LOAD_BALANCER, AAAA_ALIAS_TO_LOAD_BALANCER ->
          b.aliasTarget(
                  a ->
                      a.dnsName(
                              "dualstack.liffey-"
                                  + region
                                  + "-1234567890."
                                  + region
                                  + ".elb.amazonaws.com.")
                          .hostedZoneId(ELB_ZONES.get(region))
                          .evaluateTargetHealth(true))
              .build();
      case A_ALIAS_TO_NAME_IN_ZONE ->
          b.healthCheckId(healthCheckId)
              .aliasTarget(
                  a ->
                      a.dnsName(routing.regionalName(region) + ".")
                          .hostedZoneId(routing.hostedZoneId())
                          .evaluateTargetHealth(false))
              .build();
    };
  }

  private static ResourceRecordSet plain(String name, RRType type, String value) {
    return ResourceRecordSet.builder()
        .name(name)
        .type(type)
        .ttl(60L)
        .resourceRecords(r -> r.value(value))
        .build();
  }

  private void create(ResourceRecordSet... records) {
    List<Change> changes =
        Arrays.stream(records)
            .map(rs -> Change.builder().action(ChangeAction.CREATE).resourceRecordSet(rs).build())
            .toList();
    r53.changeResourceRecordSets(
        b -> b.hostedZoneId(routing.hostedZoneId()).changeBatch(c -> c.changes(changes)));
  }

  /** The weighted name's records as the emulator lists them. */
  private List<ResourceRecordSet> weightedRecords() {
    return r53
        .listResourceRecordSets(b -> b.hostedZoneId(routing.hostedZoneId()))
        .resourceRecordSets()
        .stream()
        .filter(rs -> rs.name().equals(routing.recordName() + "."))
        .toList();
  }

  private static List<ResourceRecordSet> withWeight(
      List<ResourceRecordSet> records, String region, long weight) {
    return records.stream()
        .map(rs -> region.equals(rs.setIdentifier()) ? rs.toBuilder().weight(weight).build() : rs)
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void readsTheIrishWeights_andMovesOnlyTheOneThatChanges_inPlace(Shape shape) {
    zone();
    List<ResourceRecordSet> created =
        List.of(record(shape, "eu-west-1", 200), record(shape, "eu-west-2", 55));
    create(created.toArray(ResourceRecordSet[]::new));
    List<ResourceRecordSet> before = weightedRecords();
    Route53RoutingActuator actuator = new Route53RoutingActuator(routing, r53);
    // the emulator holds the set as it was made (alias target, TTL, values, health check), absolute
    // names aside
    assertThat(before)
        .containsExactlyInAnyOrderElementsOf(
            created.stream().map(rs -> rs.toBuilder().name(rs.name() + ".").build()).toList());

    assertThat(actuator.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));
    actuator.setWeights(Map.of("eu-west-1", 193, "eu-west-2", 55));

    // type, TTL or alias target, values and health check exactly as they were; only the weight
    // moved
    assertThat(weightedRecords())
        .containsExactlyInAnyOrderElementsOf(withWeight(before, "eu-west-1", 193));
    assertThat(new Route53RoutingActuator(routing, r53).weights())
        .isEqualTo(Map.of("eu-west-1", 193, "eu-west-2", 55));
  }

  @Test
  void movesADualStackRegionsAAndAaaaAliasesTogether() {
    zone();
    create(
        record(Shape.A_ALIAS_TO_LOAD_BALANCER, "eu-west-1", 200),
        record(Shape.A_ALIAS_TO_LOAD_BALANCER, "eu-west-2", 55),
        record(Shape.AAAA_ALIAS_TO_LOAD_BALANCER, "eu-west-1", 200),
        record(Shape.AAAA_ALIAS_TO_LOAD_BALANCER, "eu-west-2", 55));
    List<ResourceRecordSet> before = weightedRecords();
    Route53RoutingActuator actuator = new Route53RoutingActuator(routing, r53);

    assertThat(actuator.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));
    actuator.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));

    assertThat(weightedRecords())
        .hasSize(4)
        .containsExactlyInAnyOrderElementsOf(
            withWeight(withWeight(before, "eu-west-1", 0), "eu-west-2", 255));
  }

  @Test
  void aRegionWithoutARecord_isNamedWithWhatWasFound_andNothingChanges() {
    zone();
    create(record(Shape.A_ALIAS_TO_LOAD_BALANCER, "eu-west-1", 200));
    List<ResourceRecordSet> before = weightedRecords();
    Route53RoutingActuator actuator = new Route53RoutingActuator(routing, r53);

    assertThat(actuator.weights()).isEqualTo(Map.of("eu-west-1", 200));
    assertThatThrownBy(() -> actuator.setWeights(Map.of("eu-west-1", 100, "eu-west-2", 155)))
        .hasMessage(
            "no weighted record ie.edge.live.liffey.example for eu-west-2 in zone "
                + routing.hostedZoneId()
                + ": found A alias records for eu-west-1 only");
    assertThat(weightedRecords()).isEqualTo(before);
  }

  @Test
  void aSimpleCname_isNotAWeightedSet() {
    zone();
    create(plain(routing.recordName(), RRType.CNAME, routing.regionalName("eu-west-1")));
    Route53RoutingActuator actuator = new Route53RoutingActuator(routing, r53);

    assertThat(actuator.weights()).isEmpty();
    assertThatThrownBy(() -> actuator.setWeights(Map.of("eu-west-1", 200, "eu-west-2", 55)))
        .hasMessage(
            "no weighted record ie.edge.live.liffey.example for eu-west-1, eu-west-2 in zone "
                + routing.hostedZoneId()
                + ": found a simple CNAME, not a weighted set");
  }
}
