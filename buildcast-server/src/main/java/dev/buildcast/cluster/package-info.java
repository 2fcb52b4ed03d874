/**
 * Cluster mode's adapters on Redis (7.0 or newer, or Valkey; one primary, not Redis Cluster): the
 * job-control ports of {@code job} shared by several nodes. {@link
 * dev.buildcast.cluster.RedisEngine} owns the connection and turns every failure to reach Redis
 * into one {@link dev.buildcast.EngineUnavailableException}; {@link
 * dev.buildcast.cluster.RedisJobStore}, {@link dev.buildcast.cluster.RedisJobQueue} and {@link
 * dev.buildcast.cluster.RedisStatusBus} implement {@code JobStore}, {@code JobQueue} and {@code
 * StatusBus} under the same contract tests as the single-node adapters; {@link
 * dev.buildcast.cluster.RedisAcceptedLines} is the cluster log's {@code AcceptedLines} (a stream per
 * job). {@link dev.buildcast.cluster.RedisNodeLease} keeps a node's liveness key and {@link
 * dev.buildcast.cluster.RedisQueueReaper} frees the queue state of nodes whose key is gone; {@link
 * dev.buildcast.cluster.RedisUploadStore} is the {@code UploadStore} every node shares (records in
 * Redis, bytes as parts in the cluster's blob store); {@link
 * dev.buildcast.cluster.RedisNotificationStore} is the {@code NotificationStore} every node shares,
 * which also decides which node sends each delivery. Keys,
 * scripts and what is not built yet: docs/cluster.md.
 *
 * <p>The only package that knows the Redis client (Lettuce). Like {@code storage}, it is used by
 * the wiring only and never by the domain.
 */
package dev.buildcast.cluster;
