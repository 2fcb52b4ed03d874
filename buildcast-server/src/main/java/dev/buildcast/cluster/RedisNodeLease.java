package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.time.Repeater;
import io.lettuce.core.ScriptOutputType;
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
 * <p>The key's value is this instance's random token (its run id), so {@link #close()} removes only
 * a key this instance wrote (not that of a next life of the node started meanwhile), and two
 * processes never share a node id: {@link #start()} writes the key only when it is absent, and
 * refuses to start while another process keeps it alive (a restart after a crash waits at most
 * about a lease for the dead process's key to expire). A renewal writes only its own key (or an
 * expired one): a key another process took over means this one was counted dead, and it gives its
 * jobs up as when it is cut off.
 *
 * <p>Threading: safe for concurrent use; renewals run on the {@link Repeater}'s thread.
 */
public final class RedisNodeLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisNodeLease.class);

  // KEYS: the liveness key. ARGV: this instance's token, the lease (ms). Writes the key when it is ours or
  // absent (expired); returns 0, writing nothing, when another process holds it.
  private static final RedisScript RENEW = new RedisScript("""
      local now = redis.call('GET', KEYS[1])
      if now and now ~= ARGV[1] then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """, ScriptOutputType.INTEGER);

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
  private final Waiting waiting;
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
   * How long {@link #start()} waits for the key of an earlier process with this node id to expire,
   * in shares of the lease. why more than one lease: the key lives a lease after that process's
   * last renewal; a live process renews every fifth of it, so its key never gets that old.
   */
  static final double START_WAIT_SHARE = 1.2;

  /** How {@link #start()} waits between two looks at a key another process holds. */
  @FunctionalInterface
  interface Waiting {
    void waitFor(Duration pause) throws InterruptedException;
  }

  /**
   * @param lease how long the node counts as alive after a renewal ({@code cluster.lease})
   * @throws IllegalArgumentException when the node id is not 1 to 64 letters, digits or '-', or the
   *     lease is shorter than 1 s (renewals would come every few ms)
   */
  public RedisNodeLease(RedisEngine redis, String nodeId, Duration lease, Repeater repeater) {
    this(redis, nodeId, lease, repeater, System::nanoTime, pause -> Thread.sleep(pause));
  }

  /** @param nanoTime a monotonic clock in nanoseconds, for how long renewals have failed (tests step it) */
  RedisNodeLease(RedisEngine redis, String nodeId, Duration lease, Repeater repeater, LongSupplier nanoTime) {
    this(redis, nodeId, lease, repeater, nanoTime, pause -> Thread.sleep(pause));
  }

  /**
   * @param nanoTime a monotonic clock in nanoseconds, for how long renewals have failed and how long
   *     {@link #start()} waited (tests step it)
   * @param waiting how {@link #start()} waits for another process's key (tests step the clock in it)
   */
  RedisNodeLease(RedisEngine redis, String nodeId, Duration lease, Repeater repeater, LongSupplier nanoTime, Waiting waiting) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.waiting = Objects.requireNonNull(waiting, "waiting");
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
   * Writes the key, when no other process holds it, and starts renewing it every fifth of the
   * lease. When another process holds it, waits (up to {@link #START_WAIT_SHARE} of the lease) for
   * it to expire: the key of a process that crashed does; that of a live process is renewed.
   *
   * @throws EngineUnavailableException when Redis cannot be reached (the node must not start)
   * @throws DuplicateNodeIdException when a live process uses this node id
   * @throws IllegalStateException when started twice or after {@link #close()}
   */
  public synchronized void start() {
    if (closed || renewing != null) throw new IllegalStateException("the lease of node " + nodeId + " was started or closed already");
    takeKey();
    lastWrittenNanos = nanoTime.getAsLong();
    renewing = repeater.repeat(lease.dividedBy(5), this::renew);
    log.info("node {} is alive in the cluster ({} with a lease of {})", nodeId, key, lease);
  }

  /** Writes the key when no other process holds it, waiting for one that is not renewed to expire. */
  private void takeKey() {
    long start = nanoTime.getAsLong();
    long limit = (long) (lease.toNanos() * START_WAIT_SHARE);
    Duration pause = lease.dividedBy(10);
    boolean told = false;
    // why the renewal's script, not SET NX: it also takes a key that is already ours (a write whose answer was lost)
    while (!writeIfOursOrFree("writing the liveness of node " + nodeId)) {
      if (nanoTime.getAsLong() - start >= limit) throw new DuplicateNodeIdException(nodeId, key, lease);
      if (!told) {
        log.info("node id {} is held by another process ({} exists); waiting up to {} of the lease {} for it to expire, as the key of a"
            + " process that stopped does", nodeId, key, START_WAIT_SHARE, lease);
        told = true;
      }
      try {
        waiting.waitFor(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the liveness key of node " + nodeId + " to expire", e);
      }
    }
  }

  /**
   * Writes the key again with a whole lease; a failure is logged and the next renewal tries again.
   * A key another process holds is left to it: this node was counted dead meanwhile and a new
   * process took its id, so its jobs are given up ({@link #whenCutOff}).
   */
  void renew() {
    synchronized (this) {
      if (closed) return;
    }
    try {
      if (!writeIfOursOrFree("renewing the liveness of node " + nodeId)) {
        boolean tell;
        synchronized (this) {
          tell = !cutOffTold;
          cutOffTold = true;
        }
        if (tell) {
          log.error("node {}: another process holds its liveness key {} (it started with the same node id after this one was"
              + " counted dead); this process gives its jobs up", nodeId, key);
          onCutOff.run();
        }
        return;
      }
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

  /** Writes the key with a whole lease when it is this process's or absent; false when another process holds it. */
  private boolean writeIfOursOrFree(String operation) {
    Long written = redis.call(operation, r -> RENEW.<Long>run(r, new String[] {key}, token, Long.toString(lease.toMillis())));
    return written == 1;
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
