package dev.liffey.core.config;

/**
 * How the autoscaler daemon is deployed (in the primary region's EKS cluster).
 *
 * @param image the container image
 * @param replicas replicas; one leads through a Kubernetes Lease
 * @param namespace its namespace
 */
public record Autoscaler(String image, int replicas, String namespace) {}
