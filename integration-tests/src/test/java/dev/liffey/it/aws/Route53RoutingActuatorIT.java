package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.core.config.Routing;
import dev.liffey.it.emulator.EmulatorTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class Route53RoutingActuatorIT extends EmulatorTest {

  /** The Irish weighted set as the routing stack deploys it, in a fresh zone. */
  private Routing deployIrishRecords(Route53Client r53) {
    String zoneId = r53.createHostedZone(b -> b.name(config.routing().hostedZone()).callerReference("it-" + System.nanoTime()))
        .hostedZone().id().replace("/hostedzone/", "");
    Routing routing = new Routing(config.routing().market(), config.routing().hostedZone(), zoneId,
        config.routing().entryName(), config.routing().recordName(), 60, 40, config.routing().initialWeights(),
        config.routing().healthCheck());
    r53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(
        change("eu-west-1", 200), change("eu-west-2", 55))));
    return routing;
  }

  private software.amazon.awssdk.services.route53.model.Change change(String region, long weight) {
    return software.amazon.awssdk.services.route53.model.Change.builder().action(ChangeAction.CREATE)
        .resourceRecordSet(ResourceRecordSet.builder().name(config.routing().recordName()).type(RRType.CNAME)
            .setIdentifier(region).weight(weight).ttl(60L)
            .resourceRecords(r -> r.value(config.routing().regionalName(region))).build())
        .build();
  }

  @Test
  void readsTheIrishWeights_andUpsertsOnlyTheOnesThatChange_keepingTtlAndTargets() {
    Route53Client r53 = aws.route53();
    Routing routing = deployIrishRecords(r53);
    Route53RoutingActuator actuator = new Route53RoutingActuator(routing, r53);

    assertThat(actuator.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));

    actuator.setWeights(Map.of("eu-west-1", 193, "eu-west-2", 55));

    var records = r53.listResourceRecordSets(b -> b.hostedZoneId(routing.hostedZoneId())).resourceRecordSets()
        .stream().filter(r -> r.setIdentifier() != null).toList();
    assertThat(records).hasSize(2).allSatisfy(r -> assertThat(r.ttl()).isEqualTo(60L));
    assertThat(records).anySatisfy(r -> {
      assertThat(r.setIdentifier()).isEqualTo("eu-west-1");
      assertThat(r.weight()).isEqualTo(193L);
      assertThat(r.resourceRecords().get(0).value()).isEqualTo("eu-west-1.edge.live.liffey.example");
    });
    assertThat(new Route53RoutingActuator(routing, r53).weights()).isEqualTo(Map.of("eu-west-1", 193, "eu-west-2", 55));
  }
}
