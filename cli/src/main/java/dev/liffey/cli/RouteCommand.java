package dev.liffey.cli;

import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.RoutePin;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey route show|shift|reset}: the routed market's DNS weights. */
@Command(name = "route", mixinStandardHelpOptions = true,
    description = "Show or move the weights of the routed market (Ireland) between its regions.",
    subcommands = {RouteCommand.Show.class, RouteCommand.Shift.class, RouteCommand.Reset.class})
final class RouteCommand {

  @Command(name = "show", mixinStandardHelpOptions = true, description = "The weights in Route 53 and any pin in force.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      try {
        Map<String, Integer> weights = new Route53RoutingActuator(edge.routing(), onCall.aws().route53()).weights();
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        out.println(edge.routing().market() + " (" + edge.routing().recordName() + "):");
        weights.forEach((r, w) -> out.printf("  %-14s weight %3d  %3.0f%%%n", r, w, total == 0 ? 0.0 : 100.0 * w / total));
        onCall.controlTable(edge).read().pinFor(edge.routing().market(), Instant.now()).ifPresent(p -> out.println(
            Printable.escape("  pinned: " + p.percent() + "% to " + p.region() + " until " + p.until() + " by " + p.who()
                + " (" + p.reason() + ")")));
        return LiffeyCli.EXIT_OK;
      } finally {
        onCall.close();
      }
    }
  }

  @Command(name = "shift", mixinStandardHelpOptions = true,
      description = {"Send PERCENT of the market to a region now, pinned for a while.",
          "The autoscaler keeps the pin until it ends. Takes effect as resolvers refresh: about a minute plus the"
              + " TTL."})
  static final class Shift implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Option(names = "--market", paramLabel = "CODE", required = true, description = "The routed market, like IE.")
    String market;

    @Option(names = "--to", paramLabel = "REGION", required = true, description = "A region serving the market.")
    String to;

    @Option(names = "--percent", paramLabel = "P", required = true, description = "0-100.")
    int percent;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, required = true, description = "How long, like 30m or 2h (at most 7d).")
    Duration duration;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      Market m = routedMarket(edge, market);
      if (m.servedBy().stream().noneMatch(s -> s.regionId().equals(to))) {
        throw new UsageProblem("--to '" + to + "' does not serve " + market + ": use one of "
            + String.join(", ", m.servedBy().stream().map(Market.ServedBy::regionId).toList()));
      }
      if (percent < 0 || percent > 100) {
        throw new UsageProblem("--percent " + percent + " is outside 0-100");
      }
      Instant until = DurationConverter.fromNow(duration);
      Map<String, Integer> target = new LinkedHashMap<>();
      long others = m.servedBy().size() - 1;
      for (Market.ServedBy s : m.servedBy()) {
        target.put(s.regionId(), s.regionId().equals(to) ? (int) Math.round(2.55 * percent)
            : (int) Math.round(2.55 * (100 - percent) / Math.max(1, others)));
      }
      String what = "shift " + market + " " + percent + "% to " + to + " until " + until;
      return setWeights(spec, onCall, change, edge, target, what, what, (table, who) -> table.putPin(new RoutePin(market, to, percent, until, change.reason, who),
              table.version("pin", market)));
    }
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Back to the configured weights now; the pin is lifted and the autoscaler routes again.")
  static final class Reset implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      Map<String, Integer> target = new LinkedHashMap<>(edge.routing().initialWeights());
      return setWeights(spec, onCall, change, edge, target,
          "reset " + edge.routing().market() + " to the configured weights " + target, "reset " + edge.routing().market(),
          (table, who) -> table.removePin(edge.routing().market()));
    }
  }

  /**
   * The one way a route command changes weights: confirm ({@code confirmation}), audit (who from STS), update the pin
   * (as {@code pin} says), set the weights in Route 53, print what changed.
   */
  static int setWeights(CommandSpec spec, OnCall onCall, ChangeOptions change, EdgeConfig edge,
      Map<String, Integer> target, String confirmation, String what, BiConsumer<DynamoDbControlStore, String> pin) {
    var out = spec.commandLine().getOut();
    if (!change.confirm(confirmation, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      Route53RoutingActuator dns = new Route53RoutingActuator(edge.routing(), onCall.aws().route53());
      Map<String, Integer> before = dns.weights();
      table.audit(new AuditRecord(Instant.now(), who, "route", change.reason, "weights " + before, "weights " + target));
      pin.accept(table, who);
      dns.setWeights(target);
      out.println(what + ": weights " + before + " → " + target + " (by " + who + "): " + change.reason);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  static Market routedMarket(EdgeConfig edge, String code) {
    if (!edge.routing().market().equals(code)) {
      throw new UsageProblem("market '" + code + "' is not routed by weight: only " + edge.routing().market() + " is");
    }
    return edge.market(code).orElseThrow();
  }
}
