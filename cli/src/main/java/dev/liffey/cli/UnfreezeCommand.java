package dev.liffey.cli;

import dev.liffey.autoscaler.ops.FreezeActions;
import dev.liffey.core.config.EdgeConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code liffey unfreeze}: lifts a freeze made with the same --region and --fleet. */
@Command(
    name = "unfreeze",
    mixinStandardHelpOptions = true,
    description =
        "Lift the freeze made with the same --region and --fleet; the autoscaler acts there again.")
final class UnfreezeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;
  @Mixin ScopeOptions scope;

  @Override
  public Integer call() {
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Optional<String> r = scope.region(edge);
    Optional<String> f = scope.fleet(edge);
    change.run(
        onCall, edge, spec.commandLine().getOut(), desk -> new FreezeActions(desk).unfreeze(r, f));
    return LiffeyCli.EXIT_OK;
  }
}
