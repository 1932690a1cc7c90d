package dev.liffey.cli;

import dev.liffey.autoscaler.aws.Route53GeoRecords;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey drain} and {@code liffey undrain}: every market off a region, and back. */
final class DrainCommand {
  private DrainCommand() {}

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = {"Move every market off a region now, keeping its capacity.",
          "Its Irish weight goes to 0, the geolocation record of each market it serves points at that market's"
              + " next region, and the autoscaler will not scale it in while drained. Viewers move as resolvers"
              + " refresh (about a minute plus the TTL). Undo with 'liffey undrain'."})
  static final class Drain extends Move {
    Drain() {
      super(true);
    }
  }

  @Command(name = "undrain", mixinStandardHelpOptions = true,
      description = {"Let markets back onto a drained region.",
          "Geolocation records point at it again at once; the Irish weights go back toward the configured ones"
              + " at the autoscaler's pace ('liffey route reset' does it now)."})
  static final class Undrain extends Move {
    Undrain() {
      super(false);
    }
  }

  /** What drain and undrain share: their options, and {@link #move}. */
  abstract static class Move implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Option(names = "--region", paramLabel = "R", required = true, description = "An AWS region id from edge-regions.yaml.")
    String region;

    private final boolean drain;

    Move(boolean drain) {
      this.drain = drain;
    }

    @Override
    public Integer call() {
      return move(spec, config, onCall, change, region, drain);
    }
  }

  /** Reads Route 53 and the table, decides ({@link DrainPlan}), confirms, audits, records, then moves DNS. */
  private static int move(CommandSpec spec, ConfigOption config, OnCall onCall, ChangeOptions change, String region,
      boolean drain) {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Scope.region(edge, region);
    String verb = drain ? "drain" : "undrain";
    change.requireReason();
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      ControlState control = table.read();
      if (drain == control.drained(region)) {
        out.println(region + (drain ? " is drained already" : " is not drained") + "; nothing changed");
        return LiffeyCli.EXIT_OK;
      }
      Set<String> drained = control.drainedRegions();
      Route53RoutingActuator weights = new Route53RoutingActuator(edge.routing(), onCall.aws().route53());
      Route53GeoRecords geo = new Route53GeoRecords(edge.routing(), onCall.aws().route53());
      Map<String, Integer> weightsNow = weights.weights();
      Map<String, String> geoNow = geo.targets();
      DrainPlan plan = drain ? DrainPlan.drain(edge, region, drained, weightsNow, geoNow)
          : DrainPlan.undrain(edge, region, drained, weightsNow, geoNow);
      for (String market : plan.geo().keySet()) {
        if (!geoNow.containsKey(market)) {
          throw new IllegalStateException("no geolocation record " + edge.routing().entryName() + " for " + market
              + " in zone " + edge.routing().hostedZoneId() + " (deploy the routing stack); nothing changed");
        }
      }
      String what = verb + " " + region + ": " + edge.routing().market() + " weights " + new TreeMap<>(weightsNow)
          + " → " + new TreeMap<>(plan.weights()) + (plan.geo().isEmpty() ? "" : ", " + plan.geo().entrySet().stream()
              .map(e -> e.getKey() + " → " + e.getValue()).collect(Collectors.joining(", ")));
      if (!change.confirm(what, out)) {
        return LiffeyCli.EXIT_OK;
      }
      String who = onCall.whoAmI(edge);
      table.audit(new AuditRecord(Instant.now(), who, verb, change.reason,
          "weights " + weightsNow + ", geo " + geoNow, "weights " + plan.weights() + ", geo " + plan.geo()));
      if (drain) {
        table.putDrain(new ControlState.Drain(region, Instant.now(), change.reason, who), table.version("drain", region));
      } else {
        table.removeDrain(region);
      }
      weights.setWeights(plan.weights());
      geo.point(plan.geo());
      out.println(what + " (by " + who + "): " + change.reason);
      if (drain) {
        out.println("capacity in " + region + " is kept while drained; 'liffey undrain --region " + region
            + "' lets viewers back");
      } else {
        out.println(edge.routing().market() + " weights return to " + edge.routing().initialWeights()
            + " at the autoscaler's pace; 'liffey route reset' does it now");
      }
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
