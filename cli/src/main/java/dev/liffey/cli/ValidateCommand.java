package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.LoadedConfig;
import dev.liffey.core.config.Region;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code liffey validate}: checks edge-regions.yaml the way the CDK app and the autoscaler will.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check edge-regions.yaml before it is deployed or acted on.",
      "Valid: prints one summary line and exits 0. Invalid: prints every problem, one a line, as"
          + " file:line:column: path: message (hint: fix), and exits 2."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (LiffeyCli.of(spec).output != Format.TABLE) {
      throw new UsageProblem(
          "validate prints text (one line, or a problem a line) and says by its exit code whether"
              + " the file is valid: drop -o");
    }
    PrintWriter err = spec.commandLine().getErr();
    LoadedConfig loaded = config.load(err);
    out.println(summary(config.file(), loaded.config()));
    return LiffeyCli.EXIT_OK;
  }

  static String summary(Path file, EdgeConfig c) {
    int groups = c.regions().stream().mapToInt(r -> 1 + r.transcode().size()).sum();
    int services = c.regions().stream().mapToInt(r -> r.eks().services().size()).sum();
    return String.format(
        "%s: valid: %d regions (%s), %d markets, %d Auto Scaling groups, %d EKS services,"
            + " %s weighted between %s, %d known events",
        file,
        c.regions().size(),
        String.join(", ", c.regions().stream().map(Region::id).toList()),
        c.markets().size(),
        groups,
        services,
        c.routing().market(),
        String.join("/", c.routing().initialWeights().keySet().stream().sorted().toList()),
        c.events().size());
  }
}
