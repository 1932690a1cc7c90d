package dev.liffey.cdk.relay;

import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.fleet.FleetGroup;
import dev.liffey.cdk.fleet.FleetInstanceRole;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.RelayFleet;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BasicLifecycleHookProps;
import software.amazon.awscdk.services.autoscaling.DefaultResult;
import software.amazon.awscdk.services.autoscaling.LifecycleTransition;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The relays themselves: their security group (media and TURN from every viewer, signalling from
 * the VPC), their role (edge metrics, their own drain), the Auto Scaling group with its warm pool,
 * and the lifecycle hook that lets a relay drain its viewers before it goes.
 */
public final class RelayGroup extends Construct {
  private final AutoScalingGroup group;
  private final SecurityGroup securityGroup;

  public RelayGroup(Construct scope, String id, Region region, IVpc vpc, Topic alerts) {
    super(scope, id);
    RelayFleet relay = region.relay();
    securityGroup =
        SecurityGroup.Builder.create(this, "RelaySg")
            .vpc(vpc)
            .description("WebRTC relays: media from viewers (client IPs preserved by the NLB)")
            .build();
    securityGroup.addIngressRule(
        Peer.anyIpv4(), Port.udp(RelayStack.TURN_UDP_PORT), "TURN/UDP from viewers");
    securityGroup.addIngressRule(
        Peer.anyIpv4(), Port.udp(RelayStack.MEDIA_UDP_PORT), "WebRTC media from viewers");
    securityGroup.addIngressRule(
        Peer.anyIpv4(), Port.tcp(RelayStack.TURN_TLS_PORT), "TURN/TLS and ICE-TCP from viewers");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.tcp(RelayStack.SIGNALLING_PORT),
        "signalling and health checks from the load balancers");
    Nag.acknowledge(
        securityGroup,
        "AwsSolutions-EC23",
        "WebRTC media and TURN must be reachable from every viewer's address; the NLB preserves client IPs");

    Role role =
        FleetInstanceRole.create(
            this,
            "RelayRole",
            "Liffey relay instances: publish edge metrics, drain themselves before termination");
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("FinishOwnDrain")
            .effect(Effect.ALLOW)
            .actions(
                List.of(
                    "autoscaling:CompleteLifecycleAction",
                    "autoscaling:RecordLifecycleActionHeartbeat"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of(
                        "autoscaling:ResourceTag/" + FleetTags.REGION,
                        region.id(),
                        "autoscaling:ResourceTag/" + FleetTags.FLEET,
                        FleetTags.RELAY)))
            .build());
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "PutMetricData has no resource-level permissions (conditioned on namespace Liffey/Edge); lifecycle actions"
            + " are conditioned on this region's relay group tags");

    // The SFU ships in the relay AMI/image; the instance learns its region and drain budget here
    // and watches IMDS (autoscaling/target-lifecycle-state) to start draining when told to
    // terminate.
    UserData userData = UserData.forLinux();
    userData.addCommands(
        "mkdir -p /etc/liffey",
        "cat > /etc/liffey/relay.env <<'ENV'",
        "LIFFEY_REGION=" + region.id(),
        "LIFFEY_DRAIN_SECONDS=" + relay.drainTimeout().toSeconds(),
        "LIFFEY_SIGNALLING_PORT=" + RelayStack.SIGNALLING_PORT,
        "LIFFEY_MEDIA_UDP_PORT=" + RelayStack.MEDIA_UDP_PORT,
        "ENV",
        "systemctl enable --now liffey-relay.service || echo 'liffey-relay.service not in this image'");

    group =
        new FleetGroup(
                this,
                "Relays",
                vpc,
                relay.sizing(),
                MachineImage.latestAmazonLinux2023(),
                securityGroup,
                role,
                userData,
                30,
                alerts,
                Map.of(FleetTags.REGION, region.id(), FleetTags.FLEET, FleetTags.RELAY))
            .group();
    group.addLifecycleHook(
        "Drain",
        BasicLifecycleHookProps.builder()
            .lifecycleTransition(LifecycleTransition.INSTANCE_TERMINATING)
            .heartbeatTimeout(Duration.seconds(relay.drainTimeout().toSeconds()))
            .defaultResult(DefaultResult.CONTINUE)
            .notificationMetadata(
                "{\"action\":\"drain-viewers\",\"region\":\"" + region.id() + "\"}")
            .build());
  }

  public AutoScalingGroup group() {
    return group;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
