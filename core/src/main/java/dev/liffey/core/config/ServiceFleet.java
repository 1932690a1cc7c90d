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
 * @param priority the value of the service's Kubernetes PriorityClass ({@code liffey-<name>}): when
 *     nodes are full, pods of a lower priority wait (and may be preempted) first. Distinct within a
 *     region, from 1 to {@link #MAX_PRIORITY}
 * @param roomForRelayWarmPool keep replicas for the viewers the region's relays can admit from
 *     their warm pool: those come into service in a warm boot, sooner than a new node can start a
 *     replica, so without the room a surge reaches the service before its replicas do. Costs the
 *     replicas; off unless the YAML says {@code roomForRelayWarmPool: true}
 */
public record ServiceFleet(
    String name,
    int viewersPerReplica,
    int minReplicas,
    int maxReplicas,
    Duration startup,
    double hourlyPriceUsd,
    ResourceQuota quota,
    int minAvailablePercent,
    int priority,
    boolean roomForRelayWarmPool) {

  /**
   * The highest {@code priority} a service may have: far below Kubernetes' ceiling for user classes
   * (1,000,000,000), which the autoscaler's own class takes, so no service ever preempts it.
   */
  public static final int MAX_PRIORITY = 1_000_000;

  /** The name of the service's PriorityClass. */
  public String priorityClassName() {
    return "liffey-" + name;
  }

  /**
   * @param cpuCores requests.cpu limit @param memoryGiB requests.memory limit @param pods pod count
   *     limit
   */
  public record ResourceQuota(int cpuCores, int memoryGiB, int pods) {}
}
