package dev.liffey.cli;

import dev.liffey.autoscaler.ops.FreezeActions;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey freeze}: the autoscaler stops acting on a region, a fleet, or everything. */
@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the autoscaler acting on a region, a fleet, or everything.",
      "Everything, when neither --region nor --fleet is given; --fleet routing alone freezes the routed market's weights."
          + " Holds for --for (2 hours unless said; at most a day) or until 'liffey unfreeze'. Works whether or not the autoscaler is running: it reads the control"
          + " table every tick."
    })
final class FreezeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;
  @Mixin ScopeOptions scope;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.FreezeSpan.class,
      defaultValue = "2h",
      description =
          "How long the freeze holds, like 30m or 6h (default: ${DEFAULT-VALUE};"
              + " at most 24h: freeze again before it ends to hold it longer).")
  Duration duration;

  @Override
  public Integer call() {
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Optional<String> r = scope.region(edge);
    Optional<String> f = scope.fleet(edge);
    change.run(
        onCall,
        edge,
        spec.commandLine().getOut(),
        desk -> new FreezeActions(desk).freeze(r, f, duration));
    return LiffeyCli.EXIT_OK;
  }
}
