package dev.liffey.cdk.iam;

import dev.liffey.cdk.Nag;
import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The role on-call assumes to run {@code liffey}: exactly the AWS calls the CLI makes (through
 * {@code OnCallAws}), on exactly Liffey's resources, and no more. Assumable by principals of this
 * account signed in with MFA, for at most an hour.
 *
 * <p>The calls, from {@code cli/} and {@code autoscaler/.../ops}: the groups ({@code
 * DescribeAutoScalingGroups}, {@code DescribeScalingActivities}; {@code SetDesiredCapacity}, {@code
 * PutWarmPool}, {@code TerminateInstanceInAutoScalingGroup} on groups tagged {@code
 * liffey:managed=true}), the metrics ({@code GetMetricData}), the records ({@code
 * ListResourceRecordSets}; {@code ChangeResourceRecordSets}, UPSERT only, of the weighted set and
 * the geolocation records on {@code entryName}, which {@code liffey drain} and {@code route} move),
 * and the control table in the primary region ({@code Query} for state and history, {@code PutItem}
 * and {@code DeleteItem} for changes with their audit record, in one transaction), whose audit log
 * it can never delete or rewrite ({@link AuditLogProtection}). Who the caller is comes from STS
 * {@code GetCallerIdentity}, which needs no permission. Kubernetes services ({@code liffey scale}
 * of chat, wallet, game) are reached through the kubeconfig, which EKS authorizes by its own access
 * entries, not by this policy.
 */
public final class OnCallRole {
  /** A session lasts at most this long: on-call assumes the role again, with MFA, after it. */
  public static final Duration MAX_SESSION = Duration.hours(1);

  /**
   * What the role reaches, from the configuration.
   *
   * @param roleName {@code <prefix>-on-call}
   * @param regionIds where the fleets are
   * @param hostedZoneId the routing zone
   * @param recordNames the weighted set's name and the geolocation records' ({@code entryName})
   * @param tableRegion where the CLI reaches the control table (the primary region)
   * @param replicaRegion the table's replica, which the audit log's protection covers too
   * @param tableName the control table
   */
  public record Reach(
      String roleName,
      List<String> regionIds,
      String hostedZoneId,
      List<String> recordNames,
      String tableRegion,
      String replicaRegion,
      String tableName) {
    public Reach {
      regionIds = List.copyOf(regionIds);
      recordNames = List.copyOf(recordNames);
    }

    public static Reach of(EdgeConfig config) {
      var routing = config.routing();
      return new Reach(
          config.stackPrefix() + "-on-call",
          config.regionIds(),
          routing.hostedZoneId(),
          List.of(routing.recordName(), routing.entryName()),
          config.primaryRegion(),
          config.control().replicaRegion(),
          config.control().tableName());
    }
  }

  private OnCallRole() {}

  public static Role create(Construct scope, String id, Reach reach) {
    Stack stack = Stack.of(scope);
    Role role =
        Role.Builder.create(scope, id)
            .roleName(reach.roleName())
            .description(
                "Liffey on-call: what the liffey CLI calls, assumed with MFA for at most an hour")
            .assumedBy(
                new AccountPrincipal(stack.getAccount())
                    .withConditions(Map.of("Bool", Map.of("aws:MultiFactorAuthPresent", "true"))))
            .maxSessionDuration(MAX_SESSION)
            .build();
    statements(reach, stack).forEach(role::addToPolicy);
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "DescribeAutoScalingGroups, DescribeScalingActivities and GetMetricData have no"
            + " resource-level permissions (conditioned on the configured regions); group ARNs carry"
            + " the groups' UUIDs, so they are wildcards conditioned on liffey:managed=true");
    return role;
  }

  static List<PolicyStatement> statements(Reach reach, Stack stack) {
    String table = Statements.tableArn(stack, reach.tableRegion(), reach.tableName());
    List<PolicyStatement> out = new ArrayList<>();
    out.add(
        PolicyStatement.Builder.create()
            .sid("ReadFleets")
            .effect(Effect.ALLOW)
            .actions(
                List.of(
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeScalingActivities",
                    "cloudwatch:GetMetricData"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:RequestedRegion", reach.regionIds())))
            .build());
    out.add(Statements.scaleManagedGroups(stack, reach.regionIds()));
    out.add(
        Statements.upsertRecords(
            "MoveLiffeysRecordsOnly", stack, reach.hostedZoneId(), reach.recordNames()));
    out.add(Statements.listRecords(stack, reach.hostedZoneId()));
    out.add(
        PolicyStatement.Builder.create()
            .sid("ControlTable")
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"))
            .resources(List.of(table))
            .build());
    out.addAll(
        AuditLogProtection.statements(
            List.of(table, Statements.tableArn(stack, reach.replicaRegion(), reach.tableName()))));
    return out;
  }
}
