package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --region R --fleet F} of freeze and unfreeze, checked against the configuration. */
final class ScopeOptions {
  @Option(
      names = "--region",
      paramLabel = "R",
      description = "An AWS region id from edge-regions.yaml.")
  String region;

  @Option(
      names = "--fleet",
      paramLabel = "F",
      description =
          "relay, transcode, a GPU instance type, a service, or routing (the routed market's weights; no --region).")
  String fleet;

  Optional<String> region(EdgeConfig config) {
    return Scope.region(config, region);
  }

  Optional<String> fleet(EdgeConfig config) {
    if ("routing".equals(fleet) && region != null) {
      throw new UsageProblem(
          "--fleet routing is the weights of "
              + (config.routing() == null ? "the routed market" : config.routing().market())
              + "'s routing records, which belong to no region: drop --region");
    }
    return Scope.fleet(config, fleet);
  }
}
