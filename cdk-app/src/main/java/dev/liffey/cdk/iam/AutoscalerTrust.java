package dev.liffey.cdk.iam;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * Who may become the autoscaler: EKS Pod Identity ({@code pods.eks.amazonaws.com}) acting for the
 * autoscaler's own cluster in its own account, and no other. Pod Identity sets {@code
 * aws:SourceAccount} and {@code aws:SourceArn} (the cluster's ARN) on the role's assumption and
 * session tags, so a pod of any other cluster, even one in this account, cannot assume the role by
 * being associated with it.
 */
public final class AutoscalerTrust {
  /** The principal EKS Pod Identity assumes roles as. */
  public static final String POD_IDENTITY = "pods.eks.amazonaws.com";

  private AutoscalerTrust() {}

  /**
   * The trust policy's conditions: {@code StringEquals} on {@code aws:SourceAccount} and {@code
   * aws:SourceArn}.
   *
   * @param account the role's own account (a literal or the stack's account token)
   * @param clusterArn the ARN of the cluster the autoscaler runs in
   */
  public static Map<String, Object> conditions(String account, String clusterArn) {
    return Map.of(
        "StringEquals", Map.of("aws:SourceAccount", account, "aws:SourceArn", clusterArn));
  }

  /**
   * Makes {@code role}'s trust policy exactly Pod Identity's {@code sts:AssumeRole} and {@code
   * sts:TagSession} (which Pod Identity needs for its session tags), both under {@link
   * #conditions}. It replaces the whole trust policy the role was created with, whatever it said;
   * call it once, after the role is made. Idempotent.
   */
  public static void scope(Role role, String account, String clusterArn) {
    PolicyDocument trust =
        PolicyDocument.Builder.create()
            .statements(
                List.of(
                    PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .principals(List.of(new ServicePrincipal(POD_IDENTITY)))
                        .actions(List.of("sts:AssumeRole", "sts:TagSession"))
                        .conditions(conditions(account, clusterArn))
                        .build()))
            .build();
    ((CfnRole) role.getNode().getDefaultChild())
        .addPropertyOverride("AssumeRolePolicyDocument", trust);
  }
}
