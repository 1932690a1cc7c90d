package dev.liffey.cdk.iam;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The one way a Liffey role may publish metrics: {@code cloudwatch:PutMetricData}, which has no
 * resource-level permissions, held to one namespace ({@code cloudwatch:namespace}) and to the
 * publisher's own region ({@code aws:RequestedRegion}), where the autoscaler reads that region's
 * metrics. Every role that publishes takes its statement from here.
 */
public final class MetricPublishing {
  public static final String ACTION = "cloudwatch:PutMetricData";

  private MetricPublishing() {}

  /**
   * @param publisher a construct in the publisher's stack: its region is the only one allowed
   */
  public static PolicyStatement statement(String sid, String namespace, Stack publisher) {
    return PolicyStatement.Builder.create()
        .sid(sid)
        .effect(Effect.ALLOW)
        .actions(List.of(ACTION))
        .resources(List.of("*"))
        .conditions(
            Map.of(
                "StringEquals",
                Map.of(
                    "cloudwatch:namespace",
                    namespace,
                    "aws:RequestedRegion",
                    publisher.getRegion())))
        .build();
  }
}
