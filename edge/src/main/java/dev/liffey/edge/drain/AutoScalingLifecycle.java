package dev.liffey.edge.drain;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;

/**
 * {@link LifecycleActions} through the Auto Scaling API. The group is looked up from the instance
 * (it is not known at launch), once, when first needed.
 */
public final class AutoScalingLifecycle implements LifecycleActions {
  private final AutoScalingClient autoScaling;
  private final String instanceId;
  private final String hook;
  private volatile String group;

  public AutoScalingLifecycle(AutoScalingClient autoScaling, String instanceId, String hook) {
    this.autoScaling = autoScaling;
    this.instanceId = instanceId;
    this.hook = hook;
  }

  @Override
  public void heartbeat() {
    autoScaling.recordLifecycleActionHeartbeat(
        b -> b.autoScalingGroupName(group()).lifecycleHookName(hook).instanceId(instanceId));
  }

  @Override
  public void complete() {
    autoScaling.completeLifecycleAction(
        b ->
            b.autoScalingGroupName(group())
                .lifecycleHookName(hook)
                .instanceId(instanceId)
                .lifecycleActionResult("CONTINUE"));
  }

  private String group() {
    if (group == null) {
      group =
          autoScaling
              .describeAutoScalingInstances(b -> b.instanceIds(instanceId))
              .autoScalingInstances()
              .stream()
              .map(AutoScalingInstanceDetails::autoScalingGroupName)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "instance " + instanceId + " is in no Auto Scaling group"));
    }
    return group;
  }
}
