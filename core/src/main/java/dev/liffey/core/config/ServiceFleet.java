package dev.liffey.core.config;

import java.time.Duration;

/**
 * A Kubernetes workload Liffey scales with the audience (chat, wallet, game).
 *
 * @param name the service, also its namespace and its {@code liffey.dev/service} label
 * @param viewersPerReplica concurrent viewers one replica serves at full utilization
 * @param minReplicas floor
 * @param maxReplicas ceiling
 * @param startup schedule to ready, on a node that has room
 * @param hourlyPriceUsd one replica's share of its node's price
 * @param quota the namespace's resource quota, so one flooded service cannot starve the others
 * @param minAvailablePercent the disruption budget: replicas that stay up during node drains
 */
public record ServiceFleet(
    String name,
    int viewersPerReplica,
    int minReplicas,
    int maxReplicas,
    Duration startup,
    double hourlyPriceUsd,
    ResourceQuota quota,
    int minAvailablePercent) {

  /**
   * @param cpuCores requests.cpu limit @param memoryGiB requests.memory limit @param pods pod count
   *     limit
   */
  public record ResourceQuota(int cpuCores, int memoryGiB, int pods) {}
}
