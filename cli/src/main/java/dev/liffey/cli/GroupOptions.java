package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import picocli.CommandLine.Option;

/** {@code --region R --fleet F} naming one Auto Scaling group, for prewarm and scale. */
final class GroupOptions {
  @Option(names = "--region", paramLabel = "R", required = true, description = "An AWS region id from edge-regions.yaml.")
  String region;

  @Option(names = "--fleet", paramLabel = "F", required = true,
      description = "relay, transcode (the preferred GPU type) or a GPU instance type.")
  String fleet;

  GroupChoice choice(EdgeConfig edge) {
    return GroupChoice.of(edge, region, fleet);
  }
}
