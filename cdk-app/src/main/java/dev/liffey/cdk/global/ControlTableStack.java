package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.iam.OnCallRole;
import dev.liffey.core.config.Control;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ReplicaTableProps;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The control table: on-call overrides, freezes, route pins, the audit log, the autoscaler's last
 * actions. A DynamoDB global table across the primary pair, so on-call keeps control if the primary
 * region fails; encrypted, point-in-time recovery on, never deleted with the stack. Beside it: the
 * trail of every data event on it ({@link ControlTableTrail}) and on-call's role ({@link
 * OnCallRole}), which, like the autoscaler's, may never delete or rewrite the audit log.
 *
 * <p>Schema (a contract with the control store and {@code --create-control-table}): partition key
 * {@code pk} (S), sort key {@code sk} (S), on-demand billing, TTL attribute {@code expiresAt} (only
 * cool-down records set it; the audit log is kept).
 */
public final class ControlTableStack extends LiffeyStack {
  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";
  public static final String TTL_ATTRIBUTE = "expiresAt";

  private final TableV2 table;
  private final ControlTableTrail trail;
  private final Role onCallRole;

  public ControlTableStack(Construct scope, String id, ControlTableStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey control table "
            + props.control().tableName()
            + " (global: "
            + props.stack().region()
            + ", "
            + props.control().replicaRegion()
            + ")");
    Control control = props.control();
    table =
        TableV2.Builder.create(this, "ControlTable")
            .tableName(control.tableName())
            .partitionKey(
                Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
            .billing(Billing.onDemand())
            .encryption(TableEncryptionV2.awsManagedKey())
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .timeToLiveAttribute(TTL_ATTRIBUTE)
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.RETAIN)
            .replicas(List.of(ReplicaTableProps.builder().region(control.replicaRegion()).build()))
            .build();
    trail =
        new ControlTableTrail(
            this,
            "ControlTableTrail",
            control.tableName(),
            List.of(props.stack().region(), control.replicaRegion()));
    onCallRole = OnCallRole.create(this, "OnCallRole", props.onCall());
  }

  public TableV2 table() {
    return table;
  }

  public ControlTableTrail trail() {
    return trail;
  }

  /** On-call's role, made here once for the whole edge (IAM is global). */
  public Role onCallRole() {
    return onCallRole;
  }
}
