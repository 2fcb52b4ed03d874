package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.time.Repeater;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * That a node is alive, told to the cluster: the key {@code bc:node:<nodeId>} with a time to live
 * of the cluster's lease, written by {@link #start()} and renewed every fifth of the lease, so a
 * node counts as alive until it missed renewals for a whole lease. When it is gone the node is dead
 * to the cluster and {@link RedisQueueReaper} frees its slots. {@link #close()} removes it: a node
 * that stops cleanly is gone at once.
 *
 * <p>The key's value is this instance's random token, so {@link #close()} removes only a key this
 * instance wrote (not that of a next life of the node started meanwhile).
 *
 * <p>Threading: safe for concurrent use; renewals run on the {@link Repeater}'s thread.
 */
public final class RedisNodeLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisNodeLease.class);

  // KEYS: the liveness key. ARGV: this instance's token. Deletes the key only while it is ours.
  private static final RedisScript REMOVE = new RedisScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """, ScriptOutputType.INTEGER);

  private final RedisEngine redis;
  private final String nodeId;
  private final String key;
  private final Duration lease;
  private final Repeater repeater;
  private final String token = UUID.randomUUID().toString();
  private final LongSupplier nanoTime;
  private Repeater.Repeating renewing;
  private boolean closed;
  /** Told when renewals kept failing for {@link #CUT_OFF_SHARE} of the lease; see {@link #whenCutOff}. */
  private volatile Runnable onCutOff = () -> {};
  /** The clock's reading (ns) at the last write that landed; guarded by {@code this}. */
  private long lastWrittenNanos;
  /** Whether {@link #onCutOff} was told since the last write that landed; guarded by {@code this}. */
  private boolean cutOffTold;

  /**
   * The share of the lease after which a node whose renewals keep failing gives its jobs up by
   * itself. why before the whole lease: by then another node may fail them and take their logs
   * over, so the generators stop before anyone else ends their jobs.
   */
  static final double CUT_OFF_SHARE = 0.7;

  /**
   * @param lease how long the node counts as alive after a renewal ({@code cluster.lease})
   * @throws IllegalArgumentException when the node id is not 1 to 64 letters, digits or '-', or the
   *     lease is shorter than 1 s (renewals would come every few ms)
   */
  public RedisNodeLease(RedisEngine redis, String nodeId, Duration lease, Repeater repeater) {
    this(redis, nodeId, lease, repeater, System::nanoTime);
  }

  /** @param nanoTime a monotonic clock in nanoseconds, for how long renewals have failed (tests step it) */
  RedisNodeLease(RedisEngine redis, String nodeId, Duration lease, Repeater repeater, LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.nodeId = NodeKeys.checked(nodeId);
    this.key = NodeKeys.liveness(nodeId);
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("cluster.lease must be at least 1s, got " + lease);
    }
    this.lease = lease;
    this.repeater = Objects.requireNonNull(repeater, "repeater");
  }

  /**
   * Writes the key and starts renewing it every fifth of the lease.
   *
   * @throws EngineUnavailableException when Redis cannot be reached (the node must not start)
   * @throws IllegalStateException when started twice or after {@link #close()}
   */
  public synchronized void start() {
    if (closed || renewing != null) throw new IllegalStateException("the lease of node " + nodeId + " was started or closed already");
    write("writing the liveness of node " + nodeId);
    lastWrittenNanos = nanoTime.getAsLong();
    renewing = repeater.repeat(lease.dividedBy(5), this::renew);
    log.info("node {} is alive in the cluster ({} with a lease of {})", nodeId, key, lease);
  }

  /** Writes the key again with a whole lease; a failure is logged and the next renewal tries again. */
  void renew() {
    synchronized (this) {
      if (closed) return;
    }
    try {
      write("renewing the liveness of node " + nodeId);
      synchronized (this) {
        lastWrittenNanos = nanoTime.getAsLong();
        cutOffTold = false;
      }
    } catch (EngineUnavailableException e) {
      log.warn("could not renew the liveness of node {}; next try in {}: {}", nodeId, lease.dividedBy(5), e.getMessage());
      if (isCutOffNow()) {
        log.warn("node {} could not renew its liveness for {} of its lease of {}; its jobs are given up", nodeId, CUT_OFF_SHARE, lease);
        onCutOff.run();
      }
    }
  }

  /** Whether the last landed write is {@link #CUT_OFF_SHARE} of the lease ago, the first time since it. */
  private synchronized boolean isCutOffNow() {
    if (cutOffTold || nanoTime.getAsLong() - lastWrittenNanos < (long) (lease.toNanos() * CUT_OFF_SHARE)) return false;
    cutOffTold = true;
    return true;
  }

  /**
   * Registers what to do when this node could not renew its liveness for {@link #CUT_OFF_SHARE}
   * of the lease (checked at each failed renewal, so up to a fifth of the lease later): the node is
   * cut from Redis, and other nodes will soon count it dead and fail its jobs. Told once per
   * outage, on the renewing thread.
   */
  public void whenCutOff(Runnable action) {
    this.onCutOff = Objects.requireNonNull(action, "action");
  }

  private void write(String operation) {
    redis.call(operation, r -> r.set(key, token, SetArgs.Builder.px(lease.toMillis())));
  }

  /** This life's token, the value of the liveness key while it renews it (another life of the node has another one). */
  String token() {
    return token;
  }

  /** The node's id. */
  public String nodeId() {
    return nodeId;
  }

  /** Stops renewing and removes the key (best effort: when Redis is gone it expires by itself). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (renewing == null) return;
    renewing.cancel();
    try {
      redis.call("removing the liveness of node " + nodeId, r -> REMOVE.<Long>run(r, new String[] {key}, token));
    } catch (EngineUnavailableException e) {
      log.warn("could not remove the liveness of node {}; it expires within {}: {}", nodeId, lease, e.getMessage());
    }
  }
}
