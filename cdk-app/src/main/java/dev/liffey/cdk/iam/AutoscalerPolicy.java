package dev.liffey.cdk.iam;

import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What the autoscaler may do, and nothing more: read fleets and metrics anywhere (those APIs have
 * no resource-level permissions), change only Auto Scaling groups tagged {@code
 * liffey:managed=true} in the configured regions, UPSERT only the A, AAAA and CNAME records of the
 * weighted set {@code routing.recordName} (the only record types it reads weights from) and list
 * that zone's records, and read and write only the control table, never deleting or rewriting its
 * audit log ({@link AuditLogProtection}). The geolocation records that {@code liffey drain} moves
 * are on-call's to change ({@link OnCallRole}), not this role's. Its trust policy is {@link
 * AutoscalerTrust}'s.
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
    List<String> tableArns = tableArns(config, stack);
    List<PolicyStatement> statements = new ArrayList<>();
    statements.addAll(
        List.of(
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
                .conditions(
                    Map.of("StringEquals", Map.of("aws:RequestedRegion", config.regionIds())))
                .build(),
            Statements.scaleManagedGroups(stack, config.regionIds()),
            // Only the weighted set: the geolocation records on entryName are on-call's to move.
            Statements.upsertRecords(
                "ReweightRoutedMarketOnly",
                stack,
                routing.hostedZoneId(),
                List.of(routing.recordName())),
            Statements.listRecords(stack, routing.hostedZoneId()),
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
                    tableArns.stream().flatMap(arn -> Stream.of(arn, arn + "/index/*")).toList())
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
                .build()));
    statements.addAll(AuditLogProtection.statements(tableArns));
    return List.copyOf(statements);
  }

  /** The control table in the primary region and its replica. */
  static List<String> tableArns(EdgeConfig config, Stack stack) {
    String table = config.control().tableName();
    return List.of(
        Statements.tableArn(stack, config.primaryRegion(), table),
        Statements.tableArn(stack, config.control().replicaRegion(), table));
  }
}
