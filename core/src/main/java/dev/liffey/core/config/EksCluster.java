package dev.liffey.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A region's EKS cluster.
 *
 * @param kubernetesVersion like {@code 1.33}
 * @param nodeInstanceTypes managed node group types, in order of preference
 * @param minNodes node group floor
 * @param maxNodes node group ceiling
 * @param nodeStartup how long a node takes to arrive when every node is full: from the pending pod
 *     that asks for it to a Ready node (EKS Auto Mode launches one in about 45-60 s); {@code
 *     nodeStartupSeconds}, default {@link #DEFAULT_NODE_STARTUP}. The planner adds it to a
 *     service's startup when its replicas need a new node.
 * @param replicasPerNode service replicas one node runs: its allocatable CPU over a replica's
 *     request; {@code replicasPerNode}, default {@link #DEFAULT_REPLICAS_PER_NODE}. How many
 *     replicas fit on the nodes already there, and when the next one needs a new node.
 * @param services the workloads Liffey scales, each in its own namespace
 */
public record EksCluster(
    String kubernetesVersion,
    List<String> nodeInstanceTypes,
    int minNodes,
    int maxNodes,
    Duration nodeStartup,
    int replicasPerNode,
    List<ServiceFleet> services) {

  /** {@code nodeStartupSeconds} when the file leaves it out: the slow end of 45-60 s. */
  public static final Duration DEFAULT_NODE_STARTUP = Duration.ofSeconds(60);

  /**
   * {@code replicasPerNode} when the file leaves it out: an m7i.xlarge allocates about 3.9 of its 4
   * vCPUs to pods, and the services' quotas give each replica 0.8-1 vCPU.
   */
  public static final int DEFAULT_REPLICAS_PER_NODE = 4;

  /**
   * How long a node with room to spare stays before EKS Auto Mode consolidates it: the NodePool's
   * {@code consolidateAfter}, the same in the CDK app and the simulator.
   */
  public static final Duration CONSOLIDATE_AFTER = Duration.ofMinutes(5);
}
