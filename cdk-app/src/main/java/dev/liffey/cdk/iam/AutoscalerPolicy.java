package dev.liffey.cdk.iam;

import dev.liffey.cdk.FleetTags;
import dev.liffey.core.config.EdgeConfig;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What the autoscaler may do, and nothing more: read fleets and metrics anywhere (those APIs have
 * no resource-level permissions), change only Auto Scaling groups tagged {@code
 * liffey:managed=true} in the configured regions, UPSERT only the A, AAAA and CNAME records of the
 * weighted set {@code routing.recordName} (the only record types it reads weights from) and list
 * that zone's records, and read and write only the control table. The geolocation records that
 * {@code liffey drain} moves are on-call's to change, with on-call's own credentials, not this
 * role's.
 */
public final class AutoscalerPolicy {
  private AutoscalerPolicy() {}

  /**
   * The role's name, fixed so every region's cluster can grant it access without a cross-region
   * reference.
   */
  public static String roleName(EdgeConfig config) {
    return config.stackPrefix() + "-autoscaler";
  }

  public static List<PolicyStatement> statements(EdgeConfig config, Stack stack) {
    String account = stack.getAccount();
    String partition = stack.getPartition();
    var routing = config.routing();
    String table = config.control().tableName();
    List<String> tableRegions = List.of(config.primaryRegion(), config.control().replicaRegion());
    return List.of(
        PolicyStatement.Builder.create()
            .sid("ReadFleets")
            .effect(Effect.ALLOW)
            .actions(
                List.of(
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeWarmPool",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeLifecycleHooks",
                    "ec2:DescribeInstanceTypeOfferings",
                    "cloudwatch:GetMetricData"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:RequestedRegion", config.regionIds())))
            .build(),
        PolicyStatement.Builder.create()
            .sid("ScaleManagedGroupsOnly")
            .effect(Effect.ALLOW)
            // Terminate: a relay scale-in removes the emptiest relays by id, decrementing desired.
            .actions(
                List.of(
                    "autoscaling:SetDesiredCapacity",
                    "autoscaling:PutWarmPool",
                    "autoscaling:TerminateInstanceInAutoScalingGroup"))
            .resources(
                List.of(
                    "arn:"
                        + partition
                        + ":autoscaling:*:"
                        + account
                        + ":autoScalingGroup:*:autoScalingGroupName/*"))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of(
                        "autoscaling:ResourceTag/" + FleetTags.MANAGED,
                        "true",
                        "aws:RequestedRegion",
                        config.regionIds())))
            .build(),
        PolicyStatement.Builder.create()
            .sid("ReweightRoutedMarketOnly")
            .effect(Effect.ALLOW)
            .actions(List.of("route53:ChangeResourceRecordSets"))
            .resources(
                List.of("arn:" + partition + ":route53:::hostedzone/" + routing.hostedZoneId()))
            // Validation keeps recordName lower-case letters, digits, hyphens and dots, with no
            // trailing dot:
            // already the normalized form this key compares against.
            .conditions(
                Map.of(
                    "ForAllValues:StringEquals",
                    Map.of(
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                            List.of(routing.recordName()),
                        "route53:ChangeResourceRecordSetsRecordTypes",
                            List.of("A", "AAAA", "CNAME"),
                        "route53:ChangeResourceRecordSetsActions", List.of("UPSERT"))))
            .build(),
        PolicyStatement.Builder.create()
            .sid("ReadRecords")
            .effect(Effect.ALLOW)
            .actions(List.of("route53:ListResourceRecordSets"))
            .resources(
                List.of("arn:" + partition + ":route53:::hostedzone/" + routing.hostedZoneId()))
            .build(),
        PolicyStatement.Builder.create()
            .sid("ControlTable")
            .effect(Effect.ALLOW)
            .actions(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:ConditionCheckItem",
                    "dynamodb:DescribeTable"))
            .resources(
                tableRegions.stream()
                    .flatMap(
                        r -> {
                          String arn =
                              "arn:"
                                  + partition
                                  + ":dynamodb:"
                                  + r
                                  + ":"
                                  + account
                                  + ":table/"
                                  + table;
                          return java.util.stream.Stream.of(arn, arn + "/index/*");
                        })
                    .toList())
            .build(),
        PolicyStatement.Builder.create()
            .sid("FindServiceClusters")
            .effect(Effect.ALLOW)
            .actions(List.of("eks:DescribeCluster"))
            .resources(
                List.of(
                    "arn:"
                        + partition
                        + ":eks:*:"
                        + account
                        + ":cluster/"
                        + config.stackPrefix()
                        + "-*"))
            .build());
  }
}
