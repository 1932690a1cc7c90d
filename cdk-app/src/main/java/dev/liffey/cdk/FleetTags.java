package dev.liffey.cdk;

/**
 * The tags by which the autoscaler finds what it may touch (never by name), and on which its IAM
 * policy is conditioned. A contract with {@code AutoScalingFleetActuator}.
 */
public final class FleetTags {
  /** {@code true} on every group the autoscaler may change. */
  public static final String MANAGED = "liffey:managed";

  /** The AWS region id the group serves. */
  public static final String REGION = "liffey:region";

  /** {@code relay} or {@code transcode}. */
  public static final String FLEET = "liffey:fleet";

  /** On GPU groups: the instance type, so fallback can pick the next one. */
  public static final String INSTANCE_TYPE = "liffey:instance-type";

  /** On GPU groups: 0 for the preferred type, then 1, 2, ... */
  public static final String PREFERENCE = "liffey:preference";

  public static final String RELAY = "relay";
  public static final String TRANSCODE = "transcode";

  private FleetTags() {}
}
