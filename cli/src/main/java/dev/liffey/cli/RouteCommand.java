package dev.liffey.cli;

import dev.liffey.autoscaler.ops.ChangeDesk;
import dev.liffey.autoscaler.ops.RoutingActions;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey route show|shift|reset}: the routed market's DNS weights. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description =
        "Show or move the weights of the routed market (routing.market in the config) between its regions.",
    subcommands = {RouteCommand.Show.class, RouteCommand.Shift.class, RouteCommand.Reset.class})
final class RouteCommand {

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "The weights in Route 53 and any pin in force.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      try {
        Map<String, Integer> weights = onCall.aws().weights(edge).weights();
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        out.println(edge.routing().market() + " (" + edge.routing().recordName() + "):");
        weights.forEach(
            (r, w) ->
                out.printf(
                    "  %-14s weight %3d  %3.0f%%%n", r, w, total == 0 ? 0.0 : 100.0 * w / total));
        onCall
            .controlTable(edge)
            .read()
            .pinFor(edge.routing().market(), Instant.now())
            .ifPresent(
                p ->
                    out.println(
                        Printable.escape(
                            "  pinned: "
                                + p.percent()
                                + "% to "
                                + p.region()
                                + " until "
                                + p.until()
                                + " by "
                                + p.who()
                                + " ("
                                + p.reason()
                                + ")")));
        return LiffeyCli.EXIT_OK;
      } finally {
        onCall.close();
      }
    }
  }

  @Command(
      name = "shift",
      mixinStandardHelpOptions = true,
      description = {
        "Send PERCENT of the market to a region now, pinned for a while.",
        "The autoscaler keeps the pin until it ends. Takes effect as resolvers refresh: about a minute plus the"
            + " TTL."
      })
  static final class Shift implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Option(
        names = "--market",
        paramLabel = "CODE",
        required = true,
        description = "The routed market, like IE.")
    String market;

    @Option(
        names = "--to",
        paramLabel = "REGION",
        required = true,
        description = "A region serving the market.")
    String to;

    @Option(names = "--percent", paramLabel = "P", required = true, description = "0-100.")
    int percent;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        required = true,
        description = "How long, like 30m or 2h (at most 7d).")
    Duration duration;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      change.run(
          onCall,
          edge,
          spec.commandLine().getOut(),
          desk -> actions(edge, desk, onCall).shift(market, to, percent, duration));
      return LiffeyCli.EXIT_OK;
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Back to the configured weights now; the pin is lifted and the autoscaler routes again.")
  static final class Reset implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      change.run(
          onCall, edge, spec.commandLine().getOut(), desk -> actions(edge, desk, onCall).reset());
      return LiffeyCli.EXIT_OK;
    }
  }

  /** Routing as on-call changes it, on Route 53's weighted and geolocation records. */
  static RoutingActions actions(EdgeConfig edge, ChangeDesk desk, OnCall onCall) {
    return new RoutingActions(edge, desk, onCall.aws().weights(edge), onCall.aws().geo(edge));
  }
}
