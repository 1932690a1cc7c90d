package dev.liffey.edge.drain;

import dev.liffey.edge.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The terminate hook's flags, the same for a relay and a transcoder (a picocli mixin). */
public final class LifecycleHookOptions {
  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Durations.class,
      description =
          "How often a draining instance heartbeats its lifecycle hook; keep it under the hook's"
              + " heartbeat timeout (default: ${DEFAULT-VALUE}).")
  public Duration heartbeatInterval;

  @Option(
      names = "--lifecycle-hook",
      paramLabel = "NAME",
      defaultValue = "liffey-drain",
      description =
          "The group's terminate lifecycle hook (default: ${DEFAULT-VALUE}, as the CDK app names"
              + " it).")
  public String lifecycleHook;
}
