package dev.liffey.cdk.relay;

import dev.liffey.cdk.Checkov;
import dev.liffey.cdk.Nag;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddNetworkTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;

/**
 * TURN's path: a network load balancer in front of the relays' coturn, TURN over UDP on {@link
 * RelayStack#TURN_PORT} and over TCP on {@link RelayStack#TURN_TCP_LISTENER_PORT} (plain TCP, not
 * TLS), both to {@link RelayStack#TURN_PORT} on the relays with client addresses preserved, and the
 * region's name viewers resolve to it, which is also coturn's realm. WebRTC media does not pass
 * through it: an NLB hashes UDP per flow, so a viewer's media could land on a relay that does not
 * hold its session; viewers send media to the public address of their own relay instead, which
 * Janus advertises in its ICE candidates. Cross-zone load balancing is off for the same reason: a
 * relay's TURN allocation lives on that relay, and a flow must stay in its zone's relays.
 */
public final class MediaLoadBalancer extends Construct {
  private final NetworkLoadBalancer media;
  private final AutoScalingGroup relays;

  /**
   * @param regionalName the region's name, like {@code eu-west-1.edge.live.liffey.example}
   * @param ttlSeconds how long resolvers keep it
   */
  public MediaLoadBalancer(
      Construct scope,
      String id,
      IVpc vpc,
      AutoScalingGroup relays,
      IHostedZone zone,
      String regionalName,
      int ttlSeconds) {
    super(scope, id);
    this.relays = relays;
    media =
        NetworkLoadBalancer.Builder.create(this, "MediaLb")
            .vpc(vpc)
            .internetFacing(true)
            .crossZoneEnabled(false)
            .deletionProtection(true)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .build();
    String noAccessLogs =
        "NLB access logs cover TLS listeners only; the TURN listeners are UDP and TCP passthrough,"
            + " recorded instead by the VPC flow logs, which log all traffic (accepted and"
            + " rejected) of the load balancer's and the relays' interfaces";
    Nag.acknowledge(media, "AwsSolutions-ELB2", noAccessLogs);
    Checkov.acknowledge(media, "CKV_AWS_91", noAccessLogs);
    HealthCheck relayHealth =
        HealthCheck.builder()
            .protocol(Protocol.HTTP)
            .port(String.valueOf(RelayStack.SIGNALLING_PORT))
            .path(RelayStack.HEALTH_PATH)
            .interval(Duration.seconds(10))
            .healthyThresholdCount(2)
            .unhealthyThresholdCount(2)
            .build();
    listen("TurnUdp", "TurnUdpRelays", RelayStack.TURN_PORT, Protocol.UDP, relayHealth);
    // The listener keeps the ID it had when it was TURN/TLS: CloudFormation creates a renamed
    // listener before it deletes the old one, and an NLB refuses a second listener on a port. Its
    // target group is new (its port changed, which replaces it anyway), named for what it is.
    listen(
        "TurnTls", "TurnTcpRelays", RelayStack.TURN_TCP_LISTENER_PORT, Protocol.TCP, relayHealth);

    CnameRecord.Builder.create(this, "MediaRecord")
        .zone(zone)
        .recordName(regionalName)
        .domainName(media.getLoadBalancerDnsName())
        .ttl(Duration.seconds(ttlSeconds))
        .build();
  }

  /** A listener on {@code port}, forwarding to coturn's {@link RelayStack#TURN_PORT}. */
  private void listen(
      String id, String targetsId, int port, Protocol protocol, HealthCheck health) {
    media
        .addListener(id, BaseNetworkListenerProps.builder().port(port).protocol(protocol).build())
        .addTargets(
            targetsId,
            AddNetworkTargetsProps.builder()
                .port(RelayStack.TURN_PORT)
                .protocol(protocol)
                .targets(List.of(relays))
                .healthCheck(health)
                .deregistrationDelay(Duration.seconds(30))
                .preserveClientIp(true)
                .build());
  }

  public NetworkLoadBalancer loadBalancer() {
    return media;
  }
}
