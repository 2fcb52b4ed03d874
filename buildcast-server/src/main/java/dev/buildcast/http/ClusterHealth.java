package dev.buildcast.http;

/**
 * What {@code /healthz} says of a node of a cluster.
 *
 * @param nodeId this node's id
 * @param engineUp whether the cluster's engine (Redis) answered just now
 * @param blobsUp whether the cluster's blob store answered that it is usable, a few seconds ago at most
 * @param shippingLagLines log lines this node's running jobs published that the engine has not accepted yet
 */
public record ClusterHealth(String nodeId, boolean engineUp, boolean blobsUp, long shippingLagLines) {}
