package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.core.config.Routing;
import java.util.ArrayList;
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
  private volatile String lastMisdirection;
  // Where records the routing stack does not make (aliases, plain A/AAAA) pointed when first read.
  private final Map<String, String> firstSeen = new java.util.concurrent.ConcurrentHashMap<>();

  public Route53RoutingActuator(Routing routing, Route53Client route53) {
    this.routing = routing;
    this.route53 = route53;
  }

  /**
   * The weights, once every record is checked to point where it was put.
   *
   * @throws MisdirectedRecords when a record points elsewhere: routing holds until it is restored
   */
  @Override
  public Map<String, Integer> weights() {
    WeightedSet read =
        new WeightedSet(
            routing.recordName(),
            routing.hostedZoneId(),
            Route53RecordSets.named(route53, routing.hostedZoneId(), routing.recordName()));
    checkTargets(read);
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

  /**
   * IAM cannot stop the autoscaler's own role from rewriting a record's target with the weight (an
   * UPSERT carries both), nor anyone else with Route 53 rights: so every read checks that each
   * region's CNAME still names the region's own name, as the routing stack made it, and that any
   * other record (an alias, plain addresses) still points where this daemon first saw it.
   */
  private void checkTargets(WeightedSet read) {
    List<String> wrong = new ArrayList<>();
    read.targets()
        .forEach(
            (key, target) -> {
              String region = key.substring(0, key.indexOf(' '));
              String expected =
                  key.endsWith(" CNAME")
                      ? routing.regionalName(region)
                      : firstSeen.computeIfAbsent(key, k -> target);
              if (!Route53RecordSets.sameName(target, expected)) {
                wrong.add(
                    key
                        + " points at "
                        + target
                        + ", not "
                        + expected
                        + (key.endsWith(" CNAME")
                            ? " where the routing stack put it"
                            : " where it pointed when first read"));
              }
            });
    if (wrong.isEmpty()) {
      lastMisdirection = null;
      return;
    }
    String message =
        "weighted records of "
            + routing.recordName()
            + " misdirected: "
            + String.join("; ", wrong)
            + ". Routing is held until they are restored (redeploy the routing stack); the"
            + " autoscaler never rewrites a target";
    if (!message.equals(lastMisdirection)) {
      log.error("{}", message);
    }
    lastMisdirection = message;
    throw new MisdirectedRecords(message);
  }

  /** Weighted records that no longer point where they were put. */
  public static final class MisdirectedRecords extends IllegalStateException {
    MisdirectedRecords(String message) {
      super(message);
    }
  }

  private void warnOnce(String warning) {
    if (warning != null && !Objects.equals(warning, lastWarning)) {
      log.warn("{}", warning);
    }
    lastWarning = warning;
  }
}
