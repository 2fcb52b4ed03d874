package dev.buildcast.cluster;

import java.time.Duration;

/**
 * How many replicas must have a write before it counts ({@code cluster.redis.minReplicasAck}) and
 * how long one {@code WAIT} for them may take ({@code cluster.redis.ackTimeout}). With {@code
 * replicas} 0 no {@code WAIT} is sent.
 *
 * @param replicas 0 or more
 * @param timeout positive: a {@code WAIT} with 0 would block until the replicas answer, however long
 */
public record ReplicaAcks(int replicas, Duration timeout) {

  /** No replica is waited for: a write counts once the primary has it. */
  public static final ReplicaAcks NONE = new ReplicaAcks(0, Duration.ofMillis(100));

  public ReplicaAcks {
    if (replicas < 0) throw new IllegalArgumentException("cluster.redis.minReplicasAck must be 0 or more, got " + replicas);
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("cluster.redis.ackTimeout must be at least 1ms, got " + timeout);
    }
  }
}
