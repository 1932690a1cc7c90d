package dev.liffey.cdk.iam;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Keeps the control table's audit log append-only for every role that may write the table (the
 * autoscaler's and on-call's): explicit denies, which no allow can undo, on the audit partitions
 * ({@code audit#YYYY-MM-DD}, as {@code DynamoDbControlStore} writes them), matched by {@code
 * dynamodb:LeadingKeys}.
 *
 * <p>What IAM can express, and this denies on audit partitions: {@code DeleteItem}, {@code
 * UpdateItem} (also inside a transaction, where each item is authorized as its own action) and
 * {@code BatchWriteItem} (IAM cannot tell its puts from its deletes; Liffey never batches); a
 * {@code PutItem} that carries the TTL attribute {@code expiresAt}, which would have DynamoDB
 * delete the record later; and, on the whole table, PartiQL's update and delete, which neither role
 * uses.
 *
 * <p>What IAM cannot express: a {@code PutItem} that overwrites an existing record. No condition
 * key sees a request's {@code ConditionExpression}, and a new item and an overwrite are the same
 * action on the same key. So a put on an audit partition stays allowed (both roles append there),
 * and an overwrite is prevented by the writers instead: every audit put is conditional ({@code
 * attribute_not_exists(pk)}), and each record's sort key ({@code instant#sequence#random}) is
 * unique to it. What a dishonest writer would do anyway is recorded: the control stack's trail logs
 * every data event on the table with its caller, and point-in-time recovery can restore what was
 * lost.
 */
public final class AuditLogProtection {
  /** The audit log's partition keys start with this: {@code audit#2026-11-24}. */
  public static final String PARTITION_PREFIX = "audit#";

  /** The control table's TTL attribute, which an audit record never carries. */
  public static final String TTL_ATTRIBUTE = "expiresAt";

  private AuditLogProtection() {}

  /**
   * @param tableArns every replica of the control table
   */
  public static List<PolicyStatement> statements(List<String> tableArns) {
    Map<String, Object> auditPartitions =
        Map.of("dynamodb:LeadingKeys", List.of(PARTITION_PREFIX + "*"));
    return List.of(
        PolicyStatement.Builder.create()
            .sid("AuditLogIsAppendOnly")
            .effect(Effect.DENY)
            .actions(
                List.of("dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"))
            .resources(tableArns)
            .conditions(Map.of("ForAnyValue:StringLike", auditPartitions))
            .build(),
        PolicyStatement.Builder.create()
            .sid("AuditRecordsNeverExpire")
            .effect(Effect.DENY)
            .actions(List.of("dynamodb:PutItem"))
            .resources(tableArns)
            .conditions(
                Map.of(
                    "ForAnyValue:StringLike",
                    auditPartitions,
                    "ForAnyValue:StringEquals",
                    Map.of("dynamodb:Attributes", List.of(TTL_ATTRIBUTE))))
            .build(),
        PolicyStatement.Builder.create()
            .sid("NoPartiQLRewrites")
            .effect(Effect.DENY)
            .actions(List.of("dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"))
            .resources(tableArns)
            .build());
  }
}
