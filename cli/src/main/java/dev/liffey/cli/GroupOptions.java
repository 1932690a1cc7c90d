package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import picocli.CommandLine.Option;

/**
 * {@code --region R --fleet F} naming one fleet, for prewarm (Auto Scaling groups) and scale (and
 * services).
 */
final class GroupOptions {
  @Option(
      names = "--region",
      paramLabel = "R",
      required = true,
      description = "An AWS region id from edge-regions.yaml.")
  String region;

  @Option(
      names = "--fleet",
      paramLabel = "F",
      required = true,
      description =
          "relay, transcode (the preferred GPU type) or a GPU instance type; for scale, also an EKS"
              + " service (chat, wallet, game).")
  String fleet;

  GroupChoice choice(EdgeConfig edge) {
    return GroupChoice.of(edge, region, fleet);
  }

  /** As {@link #choice}, where an EKS service is a fleet too. */
  GroupChoice choiceOrService(EdgeConfig edge) {
    return GroupChoice.of(edge, region, fleet, true);
  }
}
