package dev.liffey.cdk.fleet;

import dev.liffey.cdk.Nag;
import dev.liffey.cdk.iam.MetricPublishing;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ManagedPolicy;
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
        MetricPublishing.statement("PublishEdgeMetrics", METRICS_NAMESPACE, Stack.of(scope)));
    return role;
  }
}
