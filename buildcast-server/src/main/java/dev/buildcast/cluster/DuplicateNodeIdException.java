package dev.buildcast.cluster;

import java.time.Duration;

/**
 * A node would start with the id of a node that is alive: another process keeps its liveness key
 * renewed. Two processes with one id would count each other's slots and claims as their own (and
 * the second's start-up would release the first one's claims), so the second refuses to start.
 */
public final class DuplicateNodeIdException extends IllegalStateException {

  DuplicateNodeIdException(String nodeId, String key, Duration lease) {
    super("another live process already runs as node " + nodeId + " in this cluster (it kept renewing " + key + " for more than the"
        + " lease of " + lease + "); give this server a node id of its own (--node-id, BUILDCAST_NODE_ID or cluster.nodeId), or"
        + " stop the other process first");
  }
}
