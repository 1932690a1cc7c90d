package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.CloudWatchRelayViewers;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.ReplicatedControlStore;
import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.MetricSanity;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;
import java.util.Optional;

/**
 * Liffey's control loop wired to AWS (CloudWatch, Auto Scaling, Route 53, the control table and its
 * replica) through one set of clients: inputs and regions read in parallel, impossible metric
 * values refused, the last control state good for {@code control.lastKnownStateSeconds}.
 */
public final class LiveControlLoop {
  private LiveControlLoop() {}

  public static ControlLoop create(
      EdgeConfig config, AwsClients aws, WorkloadActuator workloads, Clock clock, boolean dryRun) {
    AutoScalingFleetActuator groups =
        new AutoScalingFleetActuator(
            config,
            aws::autoScaling,
            clock,
            aws.readers(),
            Optional.of(
                new CloudWatchRelayViewers(
                    aws::cloudWatch, clock, config.media().viewerBitrateMbps())));
    // What the relays sent is read by their group's name, which the groups' last read found.
    return new ControlLoop(
        new LiffeyPolicy(config),
        new CloudWatchMetricsSource(
            config,
            aws::cloudWatch,
            clock,
            aws.readers(),
            region -> groups.groupName(FleetId.relay(region))),
        groups,
        workloads,
        new Route53RoutingActuator(config.routing(), aws.route53()),
        ReplicatedControlStore.of(config, aws),
        clock,
        new ControlLoop.Settings(
            dryRun,
            MetricSanity.of(config),
            config.control().lastKnownState(),
            Optional.of(aws.readers())));
  }
}
