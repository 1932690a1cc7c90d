package dev.liffey.core.config;

import java.time.Duration;

/**
 * How the autoscaler daemon is deployed (in the primary region's EKS cluster).
 *
 * @param image the container image
 * @param replicas replicas; one leads through a Kubernetes Lease
 * @param namespace its namespace
 * @param leaseDuration how long a dead leader keeps the lease before a standby takes over
 * @param tickDeadline how long one tick may take: below the tick and the lease's renew deadline, so
 *     a replica that lost the lease has stopped acting before another can lead
 */
public record Autoscaler(
    String image, int replicas, String namespace, Duration leaseDuration, Duration tickDeadline) {

  /** A leader that has not renewed within this stops leading: two thirds of the lease. */
  public static Duration renewDeadline(Duration leaseDuration) {
    return leaseDuration.multipliedBy(2).dividedBy(3);
  }

  public Duration renewDeadline() {
    return renewDeadline(leaseDuration);
  }
}
