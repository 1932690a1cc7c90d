package dev.liffey.cdk.transcode;

import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.fleet.AlertTopic;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.cdk.fleet.FleetGroup;
import dev.liffey.cdk.fleet.FleetInstanceRole;
import dev.liffey.cdk.fleet.LifecycleHooks;
import dev.liffey.cdk.iam.Statements;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.TranscodePool;
import dev.liffey.core.config.VideoCodec;
import dev.liffey.core.media.LadderPlanRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * A region's GPU transcoders: one Auto Scaling group per instance type, in order of preference (an
 * AV1-capable L4 first, then A10G and T4), each with its own warm pool, its boot hook (held until
 * the agent answers) and its drain hook (the agent hands its streams to another transcoder first).
 * Every instance runs FFmpeg and the edge agent's {@code transcoder} command ({@link
 * TranscoderBoot}). EC2 warm pools cannot be combined with mixed-instance groups, and separate
 * groups let the autoscaler fall back to the next type when EC2 has no capacity for the first.
 */
public final class TranscodeStack extends LiffeyStack {
  /** The agent's API: studios ask it for a slot, relays register for streams, peers hand over. */
  public static final int AGENT_PORT = 7090;

  /** The first of the UDP ports the agent's SRT listeners take, one a stream. */
  public static final int SRT_INGEST_PORTS_FROM = 9000;

  /** The last SRT ingest port, inclusive. */
  public static final int SRT_INGEST_PORTS_TO = 9099;

  /** The launch lifecycle hook the boot script completes once the agent answers. */
  public static final String BOOT_HOOK_NAME = "liffey-boot";

  /** The terminate lifecycle hook, as the agent's {@code --lifecycle-hook} names it. */
  public static final String DRAIN_HOOK_NAME = "liffey-drain";

  /**
   * How long the boot hook holds a transcoder before abandoning it: apt-get installs FFmpeg and
   * Java on a first boot, minutes on a fresh instance.
   */
  public static final int BOOT_HEARTBEAT_TIMEOUT_SECONDS = 900;

  /** How long the drain hook waits for a heartbeat: the agent sends one every 60 s. */
  public static final int DRAIN_HEARTBEAT_TIMEOUT_SECONDS = 300;

  /**
   * The Deep Learning Base OSS NVIDIA Driver AMI (Ubuntu 24.04), resolved at deploy time, never at
   * synth: the driver is in the image, and Ubuntu 24.04's FFmpeg is built with NVENC.
   */
  public static final String GPU_AMI_PARAMETER =
      "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id";

  /** What the agent reads of the ladder plan's row, and all it may read of the control table. */
  static final List<String> LADDER_PLAN_ATTRIBUTES =
      List.of(
          "pk", "sk", LadderPlanRow.STREAMS_BY_LADDER, LadderPlanRow.WAITING, LadderPlanRow.FORCED);

  private final List<AutoScalingGroup> groups = new ArrayList<>();

  public TranscodeStack(Construct scope, String id, TranscodeStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey GPU transcoders in "
            + props.region().city()
            + " ("
            + props.region().id()
            + "): one group and warm pool per GPU type");
    Region region = props.region();
    IVpc vpc = props.vpc();
    Topic alerts = AlertTopic.create(this, "Alerts", "Liffey transcoders " + region.id());

    SecurityGroup securityGroup =
        SecurityGroup.Builder.create(this, "TranscoderSg")
            .vpc(vpc)
            .description("GPU transcoders: SRT ingest and the agent API from inside the VPC")
            .build();
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.udpRange(SRT_INGEST_PORTS_FROM, SRT_INGEST_PORTS_TO),
        "SRT ingest from the contribution links of the studios");
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.tcp(AGENT_PORT),
        "the agent API: slots for studios, registrations of relays, hand-overs between transcoders");

    Role role =
        FleetInstanceRole.create(
            this,
            "TranscoderRole",
            "Liffey transcoders: publish stream metrics, announce themselves, read the ladder plan,"
                + " drain themselves before termination");
    Asset agentJar =
        Asset.Builder.create(this, "EdgeAgentJar").path(props.edgeAgentJar().toString()).build();
    agentJar.grantRead(role);
    controlTableAccess(role, region.id(), props.controlTable());
    role.addToPolicy(LifecycleHooks.findOwnGroup());
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "PutMetricData has no resource-level permissions (conditioned on namespace Liffey/Edge and"
            + " the stack's own region); DescribeAutoScalingInstances has none either (the boot"
            + " completer finds its group with it); reading the edge agent's S3 asset takes the"
            + " object-read actions CDK's grantRead gives, on that asset's key only");

    List<TranscodePool> pools = region.transcode();
    List<String> preferTypes = pools.stream().map(p -> p.sizing().instanceType()).toList();
    for (int preference = 0; preference < pools.size(); preference++) {
      TranscodePool pool = pools.get(preference);
      String type = pool.sizing().instanceType();
      if (!pool.encodes().contains(VideoCodec.H264)) {
        throw new IllegalArgumentException(
            region.id()
                + " transcode "
                + type
                + ": encodes has no h264, and the relays serve H.264: add h264 to its encodes in"
                + " edge-regions.yaml");
      }
      String codecs =
          pool.encodes().stream()
              .map(VideoCodec::yamlName)
              .sorted()
              .collect(Collectors.joining(","));
      FleetGroup fleet =
          new FleetGroup(
              this,
              groupId(type),
              vpc,
              FleetGroup.Placement.PRIVATE,
              pool.sizing(),
              MachineImage.fromSsmParameter(GPU_AMI_PARAMETER),
              securityGroup,
              role,
              TranscoderBoot.userData(
                  new TranscoderBoot.Agent(
                      region.id(),
                      pool.streamsPerInstance(),
                      preferTypes,
                      "s3://" + agentJar.getS3BucketName() + "/" + agentJar.getS3ObjectKey(),
                      props.controlTable().name(),
                      props.controlTable().region())),
              120,
              alerts,
              Map.of(
                  FleetTags.REGION,
                  region.id(),
                  FleetTags.FLEET,
                  FleetTags.TRANSCODE,
                  FleetTags.INSTANCE_TYPE,
                  type,
                  FleetTags.PREFERENCE,
                  String.valueOf(preference),
                  "liffey:gpu",
                  pool.gpu(),
                  "liffey:encodes",
                  codecs));
      LifecycleHooks.add(
          this,
          groupId(type) + "DrainPolicy",
          fleet,
          role,
          new LifecycleHooks.Spec(
              BOOT_HOOK_NAME,
              BOOT_HEARTBEAT_TIMEOUT_SECONDS,
              DRAIN_HOOK_NAME,
              DRAIN_HEARTBEAT_TIMEOUT_SECONDS,
              "hand-over-streams",
              region.id(),
              FleetTags.TRANSCODE));
      groups.add(fleet.group());
    }
  }

  /**
   * The region's partition of the transcoders' registry (announce, leave, find the others), and the
   * ladder plan's attributes in the control partition, read only: IAM cannot name a sort key, so
   * the read is held to the plan's attributes instead.
   */
  private void controlTableAccess(Role role, String regionId, ControlTableRef table) {
    String arn = Statements.tableArn(this, table.region(), table.name());
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("AnnounceInTheRegistry")
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"))
            .resources(List.of(arn))
            .conditions(
                Map.of(
                    "ForAllValues:StringEquals",
                    Map.of("dynamodb:LeadingKeys", List.of("transcoders#" + regionId))))
            .build());
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("ReadTheLadderPlan")
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:GetItem"))
            .resources(List.of(arn))
            .conditions(
                Map.of(
                    "ForAllValues:StringEquals",
                    Map.of(
                        "dynamodb:LeadingKeys",
                        List.of(LadderPlanRow.PARTITION),
                        "dynamodb:Attributes",
                        LADDER_PLAN_ATTRIBUTES),
                    "StringEqualsIfExists",
                    Map.of("dynamodb:Select", "SPECIFIC_ATTRIBUTES")))
            .build());
  }

  /**
   * {@code g6.2xlarge} -> {@code G62xlarge}: a construct id that stays stable while the type does.
   */
  static String groupId(String instanceType) {
    String clean = instanceType.replaceAll("[^A-Za-z0-9]", "");
    return clean.substring(0, 1).toUpperCase(Locale.ROOT) + clean.substring(1);
  }

  public List<AutoScalingGroup> groups() {
    return List.copyOf(groups);
  }
}
