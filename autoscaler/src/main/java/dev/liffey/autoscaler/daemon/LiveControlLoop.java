package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;

/** Liffey's control loop wired to AWS (CloudWatch, Auto Scaling, Route 53, the control table) through one set of clients. */
public final class LiveControlLoop {
  private LiveControlLoop() {}

  public static ControlLoop create(EdgeConfig config, AwsClients aws, WorkloadActuator workloads, Clock clock,
      boolean dryRun) {
    return new ControlLoop(new LiffeyPolicy(config),
        new CloudWatchMetricsSource(config, aws::cloudWatch, clock),
        new AutoScalingFleetActuator(config, aws::autoScaling, clock), workloads,
        new Route53RoutingActuator(config.routing(), aws.route53()), DynamoDbControlStore.of(config, aws), clock, dryRun);
  }
}
