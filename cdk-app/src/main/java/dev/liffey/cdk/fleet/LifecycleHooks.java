package dev.liffey.cdk.fleet;

import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.Nag;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BasicLifecycleHookProps;
import software.amazon.awscdk.services.autoscaling.DefaultResult;
import software.amazon.awscdk.services.autoscaling.LifecycleHook;
import software.amazon.awscdk.services.autoscaling.LifecycleTransition;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * A fleet group's two lifecycle hooks and the instances' right to complete them: the launch hook
 * that holds a new instance, neither stopped into the warm pool nor in service, until its boot
 * script says it serves ({@link BootCompletion}; abandoned otherwise), and the terminate hook that
 * lets its agent move its work away first (heartbeated while work remains; completed, CONTINUE,
 * when none is left; CONTINUE too after one heartbeat timeout, when the agent died).
 */
public final class LifecycleHooks {
  /**
   * @param bootHook the launch hook's name
   * @param bootTimeoutSeconds how long a first boot may take before the instance is abandoned
   * @param drainHook the terminate hook's name, as the agent's {@code --lifecycle-hook} names it
   * @param drainHeartbeatSeconds how long the terminate hook waits for a heartbeat
   * @param drainAction the terminate hook's metadata action ({@code drain-viewers})
   * @param region the group's region, a tag the instances' right is held to
   * @param fleet the group's {@link FleetTags#FLEET} tag value, likewise
   */
  public record Spec(
      String bootHook,
      int bootTimeoutSeconds,
      String drainHook,
      int drainHeartbeatSeconds,
      String drainAction,
      String region,
      String fleet) {}

  private LifecycleHooks() {}

  /**
   * Adds both hooks to {@code fleet}'s group, and to {@code role} a policy of its own ({@code
   * policyId} in {@code scope}) that completes and heartbeats them on that group only.
   */
  public static Policy add(
      Construct scope, String policyId, FleetGroup fleet, IRole role, Spec spec) {
    AutoScalingGroup group = fleet.group();
    LifecycleHook boot =
        group.addLifecycleHook(
            "Boot",
            BasicLifecycleHookProps.builder()
                .lifecycleHookName(spec.bootHook())
                .lifecycleTransition(LifecycleTransition.INSTANCE_LAUNCHING)
                .heartbeatTimeout(Duration.seconds(spec.bootTimeoutSeconds()))
                .defaultResult(DefaultResult.ABANDON)
                .build());
    // Both hang off the group alone; the pool's first instances must not launch before the hook.
    fleet.warmPool().getNode().addDependency(boot);
    group.addLifecycleHook(
        "Drain",
        BasicLifecycleHookProps.builder()
            .lifecycleHookName(spec.drainHook())
            .lifecycleTransition(LifecycleTransition.INSTANCE_TERMINATING)
            .heartbeatTimeout(Duration.seconds(spec.drainHeartbeatSeconds()))
            .defaultResult(DefaultResult.CONTINUE)
            .notificationMetadata(
                "{\"action\":\"" + spec.drainAction() + "\",\"region\":\"" + spec.region() + "\"}")
            .build());

    // A policy of its own, not the role's default one: the launch template depends on that, the
    // group on the launch template, and this statement names the group. It serves both hooks:
    // CompleteLifecycleAction is authorized on the group, not on a hook.
    Policy policy =
        Policy.Builder.create(scope, policyId)
            .roles(List.of(role))
            .statements(
                List.of(
                    PolicyStatement.Builder.create()
                        .sid("FinishOwnDrain")
                        .effect(Effect.ALLOW)
                        .actions(
                            List.of(
                                "autoscaling:CompleteLifecycleAction",
                                "autoscaling:RecordLifecycleActionHeartbeat"))
                        .resources(List.of(group.getAutoScalingGroupArn()))
                        .conditions(
                            Map.of(
                                "StringEquals",
                                Map.of(
                                    "autoscaling:ResourceTag/" + FleetTags.REGION,
                                    spec.region(),
                                    "autoscaling:ResourceTag/" + FleetTags.FLEET,
                                    spec.fleet())))
                        .build()))
            .build();
    Nag.acknowledge(
        policy,
        "AwsSolutions-IAM5",
        "The wildcard is the Auto Scaling group ARN's UUID, unknown until the group exists; the"
            + " ARN names this "
            + spec.fleet()
            + " group (its Ref) and the tag conditions hold it to this region's "
            + spec.fleet()
            + " instances");
    return policy;
  }

  /**
   * The statement every instance's boot completer needs to find its own group ({@code
   * DescribeAutoScalingInstances} has no resource-level permissions).
   */
  public static PolicyStatement findOwnGroup() {
    return PolicyStatement.Builder.create()
        .sid("FindOwnGroup")
        .effect(Effect.ALLOW)
        .actions(List.of("autoscaling:DescribeAutoScalingInstances"))
        .resources(List.of("*"))
        .build();
  }
}
