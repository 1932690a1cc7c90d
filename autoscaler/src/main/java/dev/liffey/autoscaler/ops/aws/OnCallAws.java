package dev.liffey.autoscaler.ops.aws;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.CloudWatchRelayViewers;
import dev.liffey.autoscaler.aws.Route53GeoRecords;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.MetricsSource;
import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.autoscaler.ops.GeoRecords;
import dev.liffey.autoscaler.ops.OnCallTable;
import dev.liffey.core.config.EdgeConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * What on-call's tool reaches in AWS, behind the ports the ops layer and the engine run on: the
 * clients (from the environment, with on-call's waits), and from them the control table, the
 * caller's identity, the Auto Scaling groups, the metrics and the routing records. The CLI wires
 * nothing else of AWS itself. Not thread-safe beyond what {@link AwsClients} is.
 */
public final class OnCallAws implements AutoCloseable {
  /**
   * How long on-call waits for AWS: to connect, for an attempt, for a whole call, in how many
   * attempts.
   */
  public record Waits(Duration connect, Duration attempt, Duration call, int maxAttempts) {}

  /**
   * A person waiting: an unreachable AWS is an answer in under two seconds ({@link
   * AwsClients.Timeouts#ON_CALL}).
   */
  public static final Waits WAITS =
      new Waits(
          AwsClients.Timeouts.ON_CALL.connect(),
          AwsClients.Timeouts.ON_CALL.attempt(),
          AwsClients.Timeouts.ON_CALL.call(),
          AwsClients.Timeouts.ON_CALL.maxAttempts());

  private final AwsClients aws;

  private OnCallAws(AwsClients aws) {
    this.aws = aws;
  }

  /**
   * Clients from the environment (credentials, {@code AWS_ENDPOINT_URL}), each call seen by {@code
   * interceptors}.
   */
  public static OnCallAws fromEnvironment(List<ExecutionInterceptor> interceptors) {
    return new OnCallAws(AwsClients.fromEnvironment(AwsClients.Timeouts.ON_CALL, interceptors));
  }

  /** The endpoint every client is pointed at, when one is ({@code AWS_ENDPOINT_URL}). */
  public Optional<URI> endpoint() {
    return aws.endpoint();
  }

  public OnCallTable controlTable(EdgeConfig config) {
    return DynamoDbControlStore.of(config, aws);
  }

  /** The caller's identity as AWS knows it (STS): what the audit log records as "who". */
  public String whoAmI(EdgeConfig config) {
    return aws.sts(config.primaryRegion()).getCallerIdentity().arn();
  }

  /** The groups; on-call's relay scale-in removes the emptiest relays, as the autoscaler's does. */
  public FleetActuator groups(EdgeConfig config) {
    return groups(config, Instant::now);
  }

  /** The groups, with {@code clock} as the time their activities are judged at. */
  public FleetActuator groups(EdgeConfig config, Clock clock) {
    return new AutoScalingFleetActuator(
        config,
        aws::autoScaling,
        clock,
        Runnable::run,
        Optional.of(
            new CloudWatchRelayViewers(
                aws::cloudWatch, clock, config.media().viewerBitrateMbps())));
  }

  public MetricsSource metrics(EdgeConfig config, Clock clock) {
    return new CloudWatchMetricsSource(config, aws::cloudWatch, clock);
  }

  /** The routed market's weighted records. */
  public RoutingActuator weights(EdgeConfig config) {
    return new Route53RoutingActuator(config.routing(), aws.route53());
  }

  /** The other markets' geolocation records. */
  public GeoRecords geo(EdgeConfig config) {
    return new Route53GeoRecords(config.routing(), aws.route53());
  }

  /** No Kubernetes: services are neither seen nor scaled (for a plan made from AWS alone). */
  public static WorkloadActuator noKubernetes() {
    return new NoKubernetes();
  }

  @Override
  public void close() {
    aws.close();
  }
}
