package dev.liffey.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * A customer-managed KMS key for a stack's CloudWatch log groups: rotated yearly, usable by
 * CloudWatch Logs in the stack's own region only for log groups of the stack's own account (the
 * encryption context names the log group). Log groups take it with {@code encryptionKey}.
 */
public final class LogEncryption {
  private LogEncryption() {}

  public static Key key(Construct scope, String id, String description) {
    Stack stack = Stack.of(scope);
    Key key =
        Key.Builder.create(scope, id).description(description).enableKeyRotation(true).build();
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudWatchLogsOfThisAccountAndRegion")
            .effect(Effect.ALLOW)
            .principals(
                List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
            .actions(
                List.of(
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "ArnLike",
                    Map.of(
                        "kms:EncryptionContext:aws:logs:arn",
                        "arn:"
                            + stack.getPartition()
                            + ":logs:"
                            + stack.getRegion()
                            + ":"
                            + stack.getAccount()
                            + ":log-group:*")))
            .build());
    return key;
  }
}
