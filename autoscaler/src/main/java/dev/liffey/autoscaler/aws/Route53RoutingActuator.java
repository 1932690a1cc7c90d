package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.core.config.Routing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The weighted records named {@code routing.recordName} in {@code routing.hostedZoneId}, one per
 * region (SetIdentifier = region id). Changes only the weights that differ, by UPSERT of the record
 * as it is (TTL, value, health check kept), in one change batch. Thread-safe.
 */
public final class Route53RoutingActuator implements RoutingActuator {
  private final Routing routing;
  private final Route53Client route53;
  private final Map<String, ResourceRecordSet> records = new ConcurrentHashMap<>();

  public Route53RoutingActuator(Routing routing, Route53Client route53) {
    this.routing = routing;
    this.route53 = route53;
  }

  @Override
  public Map<String, Integer> weights() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ResourceRecordSet rs : Route53RecordSets.named(route53, routing.hostedZoneId(), routing.recordName())) {
      if (rs.setIdentifier() != null && rs.weight() != null) {
        records.put(rs.setIdentifier(), rs);
        out.put(rs.setIdentifier(), rs.weight().intValue());
      }
    }
    return out;
  }

  @Override
  public void setWeights(Map<String, Integer> weights) {
    List<Change> changes = new ArrayList<>();
    Map<String, ResourceRecordSet> updates = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      ResourceRecordSet current = records.get(w.getKey());
      if (current == null) {
        throw new IllegalStateException("no weighted record " + routing.recordName() + " for " + w.getKey()
            + " in zone " + routing.hostedZoneId() + " (deploy the routing stack)");
      }
      if (current.weight() != null && current.weight().intValue() == w.getValue()) {
        continue;
      }
      ResourceRecordSet updated = current.toBuilder().weight((long) w.getValue()).build();
      changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(updated).build());
      updates.put(w.getKey(), updated);
    }
    if (!changes.isEmpty()) {
      route53.changeResourceRecordSets(b -> b.hostedZoneId(routing.hostedZoneId()).changeBatch(c -> c
          .comment("liffey: weights " + weights).changes(changes)));
      records.putAll(updates);
    }
  }
}
