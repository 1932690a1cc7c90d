package dev.liffey.cdk.fleet;

import dev.liffey.cdk.Nag;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The role of a fleet's instances: Session Manager for on-call (no SSH keys), and publishing
 * metrics to the {@code Liffey/Edge} namespace only, in its own region, the metrics contract the
 * autoscaler reads.
 */
public final class FleetInstanceRole {
  public static final String METRICS_NAMESPACE = "Liffey/Edge";

  private FleetInstanceRole() {}

  public static Role create(Construct scope, String id, String description) {
    Role role =
        Role.Builder.create(scope, id)
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description(description)
            .managedPolicies(
                List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
            .build();
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM4",
        "AmazonSSMManagedInstanceCore gives on-call Session Manager access instead of SSH keys; AWS maintains it");
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("PublishEdgeMetrics")
            .effect(Effect.ALLOW)
            .actions(List.of("cloudwatch:PutMetricData"))
            .resources(List.of("*"))
            // In the instance's own region: the autoscaler reads each region's edge there.
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of(
                        "cloudwatch:namespace",
                        METRICS_NAMESPACE,
                        "aws:RequestedRegion",
                        Stack.of(scope).getRegion())))
            .build());
    return role;
  }
}
