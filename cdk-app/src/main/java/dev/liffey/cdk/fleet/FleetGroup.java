package dev.liffey.cdk.fleet;

import dev.liffey.cdk.FleetTags;
import dev.liffey.core.config.InstanceSizing;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.GroupMetrics;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.autoscaling.PoolState;
import software.amazon.awscdk.services.autoscaling.WarmPool;
import software.amazon.awscdk.services.autoscaling.WarmPoolOptions;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * One EC2 Auto Scaling group of a fleet: a launch template that requires IMDSv2 and encrypts its
 * volumes, the group in private subnets (or, for relays, public ones), a warm pool of stopped
 * instances, and the tags the autoscaler finds it by. Desired capacity is deliberately left unset
 * so a deploy never undoes the autoscaler's work.
 */
public final class FleetGroup extends Construct {
  /** Where a group's instances run, and whether the internet can reach them directly. */
  public enum Placement {
    /** Private subnets, no public address: egress through the NAT gateways. */
    PRIVATE,
    /**
     * Public subnets, each instance its own public IPv4 address: for relays, whose viewers send
     * WebRTC media to the one relay holding their session, which no load balancer can route.
     */
    PUBLIC
  }

  private final LaunchTemplate launchTemplate;
  private final AutoScalingGroup group;
  private final WarmPool warmPool;

  /**
   * @param placement private (GPU groups) or public with an address per instance (relays)
   * @param tags Liffey's tags ({@link FleetTags}), put on the group and its instances
   * @param rootVolumeGiB root volume size, encrypted gp3
   */
  public FleetGroup(
      Construct scope,
      String id,
      IVpc vpc,
      Placement placement,
      InstanceSizing sizing,
      IMachineImage image,
      ISecurityGroup securityGroup,
      IRole role,
      UserData userData,
      int rootVolumeGiB,
      ITopic notifications,
      Map<String, String> tags) {
    super(scope, id);
    launchTemplate =
        LaunchTemplate.Builder.create(this, "LaunchTemplate")
            .instanceType(new InstanceType(sizing.instanceType()))
            .machineImage(image)
            .securityGroup(securityGroup)
            .associatePublicIpAddress(placement == Placement.PUBLIC ? Boolean.TRUE : null)
            .role(role)
            .userData(userData)
            .requireImdsv2(true)
            .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
            .httpPutResponseHopLimit(1)
            .instanceMetadataTags(true)
            .detailedMonitoring(true)
            .ebsOptimized(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(
                            BlockDeviceVolume.ebs(
                                rootVolumeGiB,
                                EbsDeviceOptions.builder()
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .encrypted(true)
                                    .deleteOnTermination(true)
                                    .build()))
                        .build()))
            .build();

    group =
        AutoScalingGroup.Builder.create(this, "Group")
            .vpc(vpc)
            .vpcSubnets(
                SubnetSelection.builder()
                    .subnetType(
                        placement == Placement.PUBLIC
                            ? SubnetType.PUBLIC
                            : SubnetType.PRIVATE_WITH_EGRESS)
                    .build())
            .launchTemplate(launchTemplate)
            .minCapacity(sizing.minInstances())
            .maxCapacity(sizing.maxInstances())
            .defaultInstanceWarmup(Duration.seconds(sizing.coldBoot().toSeconds()))
            .groupMetrics(List.of(GroupMetrics.all()))
            .notifications(
                List.of(NotificationConfiguration.builder().topic(notifications).build()))
            .build();

    // A stopped instance pays only its volumes and resumes in warmBoot instead of coldBoot. Capping
    // prepared capacity at min + pool keeps the pool at its configured size instead of max -
    // desired.
    warmPool =
        group.addWarmPool(
            WarmPoolOptions.builder()
                .minSize(sizing.warmPoolSize())
                .maxGroupPreparedCapacity(sizing.minInstances() + sizing.warmPoolSize())
                .poolState(PoolState.STOPPED)
                .reuseOnScaleIn(true)
                .build());

    tags.forEach(
        (k, v) ->
            Tags.of(group).add(k, v, TagProps.builder().applyToLaunchedInstances(true).build()));
    Tags.of(group)
        .add(FleetTags.MANAGED, "true", TagProps.builder().applyToLaunchedInstances(true).build());
  }

  public AutoScalingGroup group() {
    return group;
  }

  public LaunchTemplate launchTemplate() {
    return launchTemplate;
  }

  /**
   * The group's warm pool: launch lifecycle hooks that must hold the pool's first instances are
   * made before it ({@code addDependency}), or those instances launch, and are stopped, without
   * them.
   */
  public WarmPool warmPool() {
    return warmPool;
  }
}
