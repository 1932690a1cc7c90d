package dev.liffey.cdk.transcode;

import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.fleet.AlertTopic;
import dev.liffey.cdk.fleet.FleetGroup;
import dev.liffey.cdk.fleet.FleetInstanceRole;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.TranscodePool;
import dev.liffey.core.config.VideoCodec;
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
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * A region's GPU transcoders: one Auto Scaling group per instance type, in order of preference (an
 * AV1-capable L4 first, then A10G and T4), each with its own warm pool. EC2 warm pools cannot be
 * combined with mixed-instance groups, and separate groups let the autoscaler fall back to the next
 * type when EC2 has no capacity for the first.
 */
public final class TranscodeStack extends LiffeyStack {
  /** SRT ingest from the studios' contribution links, inside the VPC. */
  public static final int SRT_INGEST_PORT = 9000;

  /** The Deep Learning Base AMI with NVIDIA drivers, resolved at deploy time, never at synth. */
  public static final String GPU_AMI_PARAMETER =
      "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id";

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
            .description("GPU transcoders: SRT ingest and health from inside the VPC")
            .build();
    securityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()), Port.udp(SRT_INGEST_PORT), "SRT ingest");
    securityGroup.addIngressRule(Peer.ipv4(region.vpcCidr()), Port.tcp(8080), "health and metrics");

    Role role =
        FleetInstanceRole.create(
            this, "TranscoderRole", "Liffey transcoders: publish stream metrics");
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "PutMetricData has no resource-level permissions; it is conditioned on namespace Liffey/Edge"
            + " and the stack's own region");

    List<TranscodePool> pools = region.transcode();
    for (int preference = 0; preference < pools.size(); preference++) {
      TranscodePool pool = pools.get(preference);
      String type = pool.sizing().instanceType();
      String codecs =
          pool.encodes().stream()
              .map(VideoCodec::yamlName)
              .sorted()
              .collect(Collectors.joining(","));
      UserData userData = UserData.forLinux();
      userData.addCommands(
          "mkdir -p /etc/liffey",
          "cat > /etc/liffey/transcoder.env <<'ENV'",
          "LIFFEY_REGION=" + region.id(),
          "LIFFEY_GPU=" + pool.gpu(),
          "LIFFEY_ENCODES=" + codecs,
          "LIFFEY_STREAMS_PER_INSTANCE=" + pool.streamsPerInstance(),
          "ENV",
          "systemctl enable --now liffey-transcoder.service || echo 'liffey-transcoder.service not in this image'");
      groups.add(
          new FleetGroup(
                  this,
                  groupId(type),
                  vpc,
                  FleetGroup.Placement.PRIVATE,
                  pool.sizing(),
                  MachineImage.fromSsmParameter(GPU_AMI_PARAMETER),
                  securityGroup,
                  role,
                  userData,
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
                      codecs))
              .group());
    }
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
