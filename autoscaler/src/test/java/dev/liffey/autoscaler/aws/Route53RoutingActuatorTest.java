package dev.liffey.autoscaler.aws;

import static dev.liffey.autoscaler.aws.Records.weighted;
import static dev.liffey.autoscaler.aws.Records.weightedAlias;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;

class Route53RoutingActuatorTest {
  private final FakeRoute53 r53 =
      new FakeRoute53(
          300,
          weightedAlias(RRType.A, "eu-west-1", 200),
          weightedAlias(RRType.A, "eu-west-2", 55),
          weightedAlias(RRType.AAAA, "eu-west-1", 200),
          weightedAlias(RRType.AAAA, "eu-west-2", 55));
  private final Route53RoutingActuator actuator =
      new Route53RoutingActuator(TestConfigs.repository().routing(), r53);

  @Test
  void movesADualStackRegionsTwoRecords_inOneUpsertBatch() {
    assertThat(actuator.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));

    actuator.setWeights(Map.of("eu-west-1", 193, "eu-west-2", 62));

    assertThat(r53.changes)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.changeBatch().changes())
                    .hasSize(4)
                    .allSatisfy(ch -> assertThat(ch.action()).isEqualTo(ChangeAction.UPSERT)));
    assertThat(r53.records)
        .allSatisfy(
            rs ->
                assertThat(rs.weight())
                    .isEqualTo("eu-west-1".equals(rs.setIdentifier()) ? 193L : 62L));
    actuator.setWeights(Map.of("eu-west-1", 193, "eu-west-2", 62));
    assertThat(r53.changes).hasSize(1);
  }

  @Test
  void readsTheSetFirst_whenAskedToChangeItBeforeAnyRead() {
    actuator.setWeights(Map.of("eu-west-1", 200, "eu-west-2", 55));

    assertThat(r53.lists).hasSize(1);
    assertThat(r53.changes).isEmpty();
  }

  @Test
  void changesNothing_whenARegionHasNoRecord() {
    FakeRoute53 cnames =
        new FakeRoute53(
            300, weighted(RRType.CNAME, "eu-west-1", 200, "eu-west-1.edge.live.liffey.example"));
    Route53RoutingActuator onlyDublin =
        new Route53RoutingActuator(TestConfigs.repository().routing(), cnames);

    assertThat(onlyDublin.weights()).isEqualTo(Map.of("eu-west-1", 200));
    assertThatThrownBy(() -> onlyDublin.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255)))
        .hasMessage(
            "no weighted record ie.edge.live.liffey.example for eu-west-2 in zone Z04LIFFEYEXAMPLE00001:"
                + " found CNAME records for eu-west-1 only");
    assertThat(cnames.changes).isEmpty();
  }

  @Test
  void aCnameThatNoLongerNamesItsRegion_holdsRouting_andSaysWhereItPoints() {
    FakeRoute53 hijacked =
        new FakeRoute53(
            300,
            weighted(RRType.CNAME, "eu-west-1", 200, "eu-west-1.edge.live.liffey.example"),
            weighted(RRType.CNAME, "eu-west-2", 55, "viewers.elsewhere.example"));
    Route53RoutingActuator routing =
        new Route53RoutingActuator(TestConfigs.repository().routing(), hijacked);

    assertThatThrownBy(routing::weights)
        .isInstanceOf(Route53RoutingActuator.MisdirectedRecords.class)
        .hasMessage(
            "weighted records of ie.edge.live.liffey.example misdirected: eu-west-2 CNAME points at"
                + " viewers.elsewhere.example, not eu-west-2.edge.live.liffey.example where the"
                + " routing stack put it. Routing is held until they are restored (redeploy the"
                + " routing stack); the autoscaler never rewrites a target");
    assertThatThrownBy(() -> routing.setWeights(Map.of("eu-west-1", 100, "eu-west-2", 155)))
        .isInstanceOf(Route53RoutingActuator.MisdirectedRecords.class);
    assertThat(hijacked.changes).isEmpty();
  }

  @Test
  void anAliasTheStackDidNotMake_isHeldToWhereItFirstPointed() {
    assertThat(actuator.weights()).containsEntry("eu-west-2", 55);
    r53.records.replaceAll(
        rs ->
            "eu-west-2".equals(rs.setIdentifier())
                ? rs.toBuilder()
                    .aliasTarget(rs.aliasTarget().toBuilder().dnsName("attacker.example.").build())
                    .build()
                : rs);

    assertThatThrownBy(actuator::weights)
        .isInstanceOf(Route53RoutingActuator.MisdirectedRecords.class)
        .hasMessageContaining(
            "eu-west-2 A points at attacker.example, not"
                + " dualstack.liffey-eu-west-2.elb.amazonaws.com where it pointed when first read");
  }
}
