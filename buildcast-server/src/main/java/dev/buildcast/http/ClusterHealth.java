package dev.buildcast.http;

/**
 * What {@code /healthz} says of a node of a cluster.
 *
 * @param nodeId this node's id
 * @param engineUp whether the cluster's engine (Redis) answered just now
 */
public record ClusterHealth(String nodeId, boolean engineUp) {}
