package dev.liffey.core.config;

import java.util.List;

/**
 * A region's EKS cluster.
 *
 * @param kubernetesVersion like {@code 1.33}
 * @param nodeInstanceTypes managed node group types, in order of preference
 * @param minNodes node group floor
 * @param maxNodes node group ceiling
 * @param services the workloads Liffey scales, each in its own namespace
 */
public record EksCluster(
    String kubernetesVersion,
    List<String> nodeInstanceTypes,
    int minNodes,
    int maxNodes,
    List<ServiceFleet> services) {}
