package dev.liffey.cli;

import dev.liffey.autoscaler.ops.RoutingActions;
import dev.liffey.core.config.EdgeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey drain} and {@code liffey undrain}: every market off a region, and back. */
final class DrainCommand {
  private DrainCommand() {}

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description = {
        "Move every market off a region now, keeping its capacity.",
        "Its weight in the routed market's set goes to 0, the geolocation record of each market it serves points at that market's"
            + " next region, and the autoscaler will not scale it in while drained. New joins move as resolvers"
            + " refresh (about a minute plus the TTL); viewers already watching there stay until they leave, as a"
            + " WebRTC session cannot change relay. Undo with 'liffey undrain'."
      })
  static final class Drain extends Move {
    Drain() {
      super(true);
    }
  }

  @Command(
      name = "undrain",
      mixinStandardHelpOptions = true,
      description = {
        "Let markets back onto a drained region.",
        "Geolocation records point at it again at once; the routed market's weights go back toward the configured ones"
            + " at the autoscaler's pace ('liffey route reset' does it now)."
      })
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

    @Option(
        names = "--region",
        paramLabel = "R",
        required = true,
        description = "An AWS region id from edge-regions.yaml.")
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

  /** Every market off a region, or back onto it: {@link RoutingActions}. */
  private static int move(
      CommandSpec spec,
      ConfigOption config,
      OnCall onCall,
      ChangeOptions change,
      String region,
      boolean drain) {
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Scope.region(edge, region);
    change.run(
        onCall,
        edge,
        spec.commandLine().getOut(),
        desk ->
            drain
                ? RouteCommand.actions(edge, desk, onCall).drain(region)
                : RouteCommand.actions(edge, desk, onCall).undrain(region));
    return LiffeyCli.EXIT_OK;
  }
}
