package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.core.config.Routing;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The weighted records named {@code routing.recordName} in {@code routing.hostedZoneId}, one region
 * each (SetIdentifier = region id): CNAMEs as the routing stack deploys them, or A/AAAA records,
 * alias or plain, a dual-stack region's A and AAAA moving together ({@link WeightedSet}). Changes
 * only the weights that differ, by UPSERT of each record as it is (type, TTL or alias target,
 * values, health check kept), in one change batch. A candidate region without a record is logged
 * once, with what was found. Thread-safe.
 */
public final class Route53RoutingActuator implements RoutingActuator {
  private static final Logger log = LoggerFactory.getLogger(Route53RoutingActuator.class);
  private final Routing routing;
  private final Route53Client route53;
  private volatile WeightedSet set;
  private volatile String lastWarning;

  public Route53RoutingActuator(Routing routing, Route53Client route53) {
    this.routing = routing;
    this.route53 = route53;
  }

  @Override
  public Map<String, Integer> weights() {
    WeightedSet read =
        new WeightedSet(
            routing.recordName(),
            routing.hostedZoneId(),
            Route53RecordSets.named(route53, routing.hostedZoneId(), routing.recordName()));
    set = read;
    warnOnce(
        Stream.of(read.missing(routing.initialWeights().keySet()), read.disagreements())
            .flatMap(Optional::stream)
            .reduce((a, b) -> a + "; " + b)
            .orElse(null));
    return read.weights();
  }

  @Override
  public void setWeights(Map<String, Integer> weights) {
    if (set == null) {
      weights();
    }
    WeightedSet current = set;
    List<ResourceRecordSet> upserts = current.upserts(weights);
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
                .changeBatch(c -> c.comment("liffey: weights " + weights).changes(changes)));
    set = current.with(upserts);
  }

  private void warnOnce(String warning) {
    if (warning != null && !Objects.equals(warning, lastWarning)) {
      log.warn("{}", warning);
    }
    lastWarning = warning;
  }
}
