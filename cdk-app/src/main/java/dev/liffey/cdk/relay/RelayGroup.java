package dev.liffey.cdk.relay;

import dev.liffey.cdk.Checkov;
import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.cdk.fleet.FleetGroup;
import dev.liffey.cdk.fleet.FleetInstanceRole;
import dev.liffey.cdk.fleet.LifecycleHooks;
import dev.liffey.cdk.iam.Statements;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.RelayFleet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The relays themselves: their security group (ICE media, TURN and coturn's relay ports from every
 * viewer, the live stream's RTP and the agent's port from the VPC), the region's TURN shared secret
 * (Secrets Manager), their role (edge metrics, their own drain, the viewers' token keys, the TURN
 * secret, the agent's jar), the Auto Scaling group in public subnets (a public IPv4 address per
 * relay, which Janus advertises to viewers) with its warm pool, the launch lifecycle hook that
 * holds a relay, neither stopped into the pool nor in service, until it has booted, and the
 * terminate hook that lets a relay drain its viewers before it goes.
 */
public final class RelayGroup extends Construct {
  /** The TURN shared secret's length: letters and digits, about 285 bits. */
  static final int TURN_SECRET_LENGTH = 48;

  private final AutoScalingGroup group;
  private final SecurityGroup securityGroup;

  /**
   * @param markets the markets the region serves: the agent admits tokens for these only
   * @param edgeAgentJar the agent's jar, an existing file ({@link EdgeAgentJar#require})
   * @param regionalName the region's name, where viewers reach TURN (the media load balancer) and
   *     coturn's realm
   */
  public RelayGroup(
      Construct scope,
      String id,
      Region region,
      List<Market> markets,
      IVpc vpc,
      Path edgeAgentJar,
      String regionalName,
      ControlTableRef controlTable,
      RelayBoot.Pack pack,
      Topic alerts) {
    super(scope, id);
    RelayFleet relay = region.relay();
    securityGroup =
        SecurityGroup.Builder.create(this, "RelaySg")
            .vpc(vpc)
            .description("WebRTC relays: media from viewers (client IPs preserved by the NLB)")
            .build();
    securityGroup.addIngressRule(
        Peer.anyIpv4(),
        Port.udp(RelayStack.TURN_PORT),
        "TURN/UDP (coturn) from viewers, through the NLB");
    securityGroup.addIngressRule(
        Peer.anyIpv4(),
        Port.tcp(RelayStack.TURN_PORT),
        "TURN/TCP (coturn) from viewers, through TCP 443 of the NLB");
    securityGroup.addIngressRule(
        Peer.anyIpv4(),
        Port.udpRange(RelayStack.MEDIA_UDP_PORTS_FROM, RelayStack.MEDIA_UDP_PORTS_TO),
        "WebRTC media (Janus ICE) from viewers, to the public address of each relay");
    securityGroup.addIngressRule(
        Peer.anyIpv4(),
        Port.udpRange(RelayStack.TURN_RELAY_PORTS_FROM, RelayStack.TURN_RELAY_PORTS_TO),
        "coturn relay ports: media from Janus on any relay to the relayed addresses of viewers");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.tcp(RelayStack.SIGNALLING_PORT),
        "signalling and health checks from the load balancers");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.udpRange(RelayStack.FEED_RTP_PORTS_FROM, RelayStack.FEED_RTP_PORTS_TO),
        "stream renditions as RTP from the transcoders, to the mountpoints the agent makes");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.udp(RelayStack.STREAM_VIDEO_RTP_PORT),
        "the live mountpoint video RTP, from inside the VPC");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.udp(RelayStack.STREAM_AUDIO_RTP_PORT),
        "the live mountpoint audio RTP, from inside the VPC");
    Nag.acknowledge(
        securityGroup,
        "AwsSolutions-EC23",
        "Every viewer's address must reach a relay: WebRTC media on Janus's ICE ports (UDP "
            + RelayStack.MEDIA_UDP_PORTS_FROM
            + "-"
            + RelayStack.MEDIA_UDP_PORTS_TO
            + ") at the relay's own public address, and coturn's TURN port ("
            + RelayStack.TURN_PORT
            + ", UDP and TCP) through the NLB, which preserves client IPs. coturn's relay ports"
            + " (UDP "
            + RelayStack.TURN_RELAY_PORTS_FROM
            + "-"
            + RelayStack.TURN_RELAY_PORTS_TO
            + ") take media from Janus on any relay, which comes from that relay's public address,"
            + " a changing one no security group can name; coturn forwards only what a viewer's"
            + " TURN permissions admit. The agent's port and the stream's RTP admit the VPC only");

    Role role =
        FleetInstanceRole.create(
            this,
            "RelayRole",
            "Liffey relay instances: publish edge metrics, drain themselves before termination");

    Asset agentJar =
        Asset.Builder.create(this, "EdgeAgentJar").path(edgeAgentJar.toString()).build();
    agentJar.grantRead(role);
    // One secret for the region's relays: the NLB sends a viewer's TURN to any relay, not the one
    // whose agent minted its credentials, so every coturn must check them with the same secret.
    Secret turnSecret =
        Secret.Builder.create(this, "TurnSecret")
            .description(
                "Liffey "
                    + region.id()
                    + " relays: TURN shared secret (coturn's static-auth-secret; the agent mints"
                    + " viewers' TURN credentials from it)")
            .generateSecretString(
                SecretStringGenerator.builder()
                    .passwordLength(TURN_SECRET_LENGTH)
                    .excludePunctuation(true)
                    .includeSpace(false)
                    .build())
            .encryptionKey(
                Key.Builder.create(this, "TurnSecretKey")
                    .description(
                        "Liffey " + region.id() + " relays: the TURN shared secret's encryption")
                    .enableKeyRotation(true)
                    .build())
            .build();
    turnSecret.grantRead(role);
    Nag.acknowledge(
        turnSecret,
        "AwsSolutions-SMG4",
        "Not rotated automatically: every relay reads the secret only when coturn and the agent"
            + " start, and every relay must hold the same one (the NLB sends a viewer's TURN to any"
            + " relay, not the one whose agent minted its credentials), so a scheduled rotation"
            + " would split the fleet and fail viewers' TURN until every relay restarted. The"
            + " credentials minted from it are time-limited and expire on their own. Rotate it by"
            + " hand in a quiet hour: put a new value, then restart coturn and liffey-edge on every"
            + " relay (or refresh the group)");
    UserData userData =
        RelayBoot.userData(
            region.id(),
            markets,
            relay.drainTimeout(),
            "s3://" + agentJar.getS3BucketName() + "/" + agentJar.getS3ObjectKey(),
            new RelayBoot.Turn(regionalName, turnSecret.getSecretArn()),
            controlTable,
            pack);
    if (markets.isEmpty()) {
      Annotations.of(this)
          .addWarningV2(
              "liffey:relay-serves-no-market",
              "no market lists "
                  + region.id()
                  + " in servedBy: its relays' agents have no --market and will not start");
    }

    FleetGroup fleet =
        new FleetGroup(
            this,
            "Relays",
            vpc,
            FleetGroup.Placement.PUBLIC,
            relay.sizing(),
            MachineImage.fromSsmParameter(RelayStack.DEBIAN_AMI_PARAMETER),
            securityGroup,
            role,
            userData,
            30,
            alerts,
            Map.of(FleetTags.REGION, region.id(), FleetTags.FLEET, FleetTags.RELAY));
    group = fleet.group();
    Checkov.acknowledge(
        fleet.launchTemplate(),
        "CKV_AWS_88",
        "Each relay needs its own public IPv4 address: viewers send WebRTC media straight to the"
            + " relay holding their session (Janus advertises that address in its ICE candidates),"
            + " which no load balancer can route; the security group admits only the media, TURN"
            + " and relay ports from the internet");
    // EC2 Auto Scaling stops an instance launched into the warm pool as soon as it is running,
    // without waiting for user data, and cloud-init runs user data on the first boot only: the
    // boot hook holds a new relay until liffey-boot-complete sends CONTINUE. A relay returned to
    // the pool on scale-in pauses for the drain hook, not this one. The agent heartbeats the drain
    // hook every 60 s while viewers remain and completes it when the last leaves or at
    // --drain-max; a relay whose agent died goes after one timeout.
    LifecycleHooks.add(
        this,
        "RelayDrainPolicy",
        fleet,
        role,
        new LifecycleHooks.Spec(
            RelayStack.BOOT_HOOK_NAME,
            RelayStack.BOOT_HEARTBEAT_TIMEOUT_SECONDS,
            RelayStack.DRAIN_HOOK_NAME,
            RelayStack.DRAIN_HEARTBEAT_TIMEOUT_SECONDS,
            "drain-viewers",
            region.id(),
            FleetTags.RELAY));
    Stack stack = Stack.of(this);
    role.addToPolicy(LifecycleHooks.findOwnGroup());
    // The region's transcoders announce themselves in their own partition of the control table;
    // the agent queries it (and nothing else there) to follow their streams.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("FindTranscoders")
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:Query"))
            .resources(
                List.of(Statements.tableArn(stack, controlTable.region(), controlTable.name())))
            .conditions(
                Map.of(
                    "ForAllValues:StringEquals",
                    Map.of("dynamodb:LeadingKeys", List.of("transcoders#" + region.id()))))
            .build());
    // The relays pack their joins: each writes its own count to its region's relay partition and
    // reads the others' there.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("AnnounceRelays")
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"))
            .resources(
                List.of(Statements.tableArn(stack, controlTable.region(), controlTable.name())))
            .conditions(
                Map.of(
                    "ForAllValues:StringEquals",
                    Map.of("dynamodb:LeadingKeys", List.of("relays#" + region.id()))))
            .build());
    // GetParametersByPath is authorized against the path asked for; the boot script asks for it
    // with its trailing slash, and both spellings name the same path.
    String keysPath = RelayStack.VIEWER_TOKEN_KEYS_PATH.substring(1);
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("ReadViewerTokenKeys")
            .effect(Effect.ALLOW)
            .actions(List.of("ssm:GetParametersByPath"))
            .resources(
                List.of(
                    parameterArn(stack, keysPath.substring(0, keysPath.length() - 1)),
                    parameterArn(stack, keysPath)))
            .build());
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "PutMetricData has no resource-level permissions (conditioned on namespace Liffey/Edge"
            + " and the stack's own region);"
            + " DescribeAutoScalingInstances has no resource-level permissions (the agent finds its"
            + " group with it); reading the edge agent's S3 asset takes the object-read actions"
            + " CDK's grantRead gives, on that asset's key only");
  }

  private static String parameterArn(Stack stack, String name) {
    return stack.formatArn(
        ArnComponents.builder()
            .service("ssm")
            .resource("parameter")
            .resourceName(name)
            .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
            .build());
  }

  public AutoScalingGroup group() {
    return group;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
