package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.job.LeaseTrust;
import dev.buildcast.time.Repeater;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the queue's state of dead nodes: a node registered in {@code bc:queue:slots} whose
 * liveness key {@code bc:node:<id>} ({@link RedisNodeLease}) is gone loses its entry there (so
 * {@link RedisJobQueue#enqueue}'s count of jobs ahead no longer counts slots nobody offers) and
 * its claimed set {@code bc:node:<id>:jobs}; ids in that set whose job never started (still
 * {@code queued}) go back to the head of the queue. One Lua script decides and frees every dead
 * node, so a node cannot come alive between the check and the freeing, and several nodes reaping
 * at once free each dead node once (the others find nothing left).
 *
 * <p>The dead node's running jobs are not touched here: their records hold a lease, and {@code
 * JobService} fails them when it passes (the node's liveness and the jobs' leases have the same
 * length). A node that comes back after it was reaped registers its slots again with its next
 * claim.
 *
 * <p>A scheduled run skips while its {@link LeaseTrust} says a missing key does not mean a dead
 * node yet: right after Redis was unreachable (down, hung, restarted from its AOF) nobody could
 * renew, so every node's key may have expired although every node lives; the wiring's trust waits
 * one lease after Redis answers again, by when every live node has written its key again.
 *
 * <p>Every live node runs one, so the cluster reaps as long as one node lives. Threading: safe for
 * concurrent use; scheduled runs go on the {@link Repeater}'s thread.
 */
public final class RedisQueueReaper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisQueueReaper.class);

  // KEYS: slots hash, queue. Returns, for each node reaped, its id and how many ids went back to the queue;
  // wakes the nodes (RedisQueueWakeups) when any did.
  private static final RedisScript REAP = new RedisScript(NodeKeys.LUA_FUNCTIONS + """
      local reaped = {}
      for _, node in ipairs(redis.call('HKEYS', KEYS[1])) do
        if redis.call('EXISTS', 'bc:node:' .. node) == 0 then
          local back = release_claims(node, KEYS[2])
          redis.call('HDEL', KEYS[1], node)
          table.insert(reaped, node)
          table.insert(reaped, back)
        end
      end
      for i = 2, #reaped, 2 do
        if reaped[i] > 0 then redis.call('PUBLISH', '%s', 'reaped') break end
      end
      return reaped
      """.formatted(RedisQueueWakeups.CHANNEL), ScriptOutputType.MULTI);

  /** A dead node whose queue state was freed, and how many of its claimed ids went back to the queue. */
  public record Reaped(String nodeId, long requeued) {}

  private final RedisEngine redis;
  private final Duration every;
  private final Repeater repeater;
  private final LeaseTrust trust;
  private Repeater.Repeating reaping;
  /** Told how many never-started ids each reap put back in the queue (the jobs-reaped metric); set once by the wiring. */
  private volatile LongConsumer requeuedCounter = jobs -> {};

  /**
   * @param every how often to look for dead nodes (the cluster's lease is a good choice: a node is
   *     dead a lease after its last renewal at the earliest)
   * @param trust whether a missing liveness key means a dead node now (asked before each scheduled run)
   */
  public RedisQueueReaper(RedisEngine redis, Duration every, Repeater repeater, LeaseTrust trust) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.trust = Objects.requireNonNull(trust, "trust");
    if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("the reaper's interval must be positive, got " + every);
    this.every = every;
    this.repeater = Objects.requireNonNull(repeater, "repeater");
  }

  /** Has {@code counter} told, after each reap that put ids back in the queue, how many; must not block. */
  public void countRequeuedWith(LongConsumer counter) {
    this.requeuedCounter = Objects.requireNonNull(counter, "counter");
  }

  /** Reaps every {@code every}, the first time one interval from now. */
  public synchronized void start() {
    if (reaping != null) throw new IllegalStateException("the queue reaper was started already");
    reaping = repeater.repeat(every, this::reapQuietly);
  }

  /**
   * Frees the queue state of every dead node now.
   *
   * @return the nodes this call reaped (none when another node reaped them first)
   * @throws EngineUnavailableException when Redis cannot be reached
   */
  public List<Reaped> reapOnce() {
    List<Object> answer = redis.call("reaping the queue state of dead nodes",
        r -> REAP.<List<Object>>run(r, new String[] {RedisJobQueue.SLOTS, RedisJobQueue.QUEUE}));
    List<Reaped> reaped = new ArrayList<>();
    for (int i = 0; i + 1 < answer.size(); i += 2) {
      Reaped node = new Reaped((String) answer.get(i), (Long) answer.get(i + 1));
      reaped.add(node);
      log.warn("node {} stopped renewing its liveness: freed its slots and claims, {} job(s) that had not started queued again",
          node.nodeId(), node.requeued());
    }
    long requeued = reaped.stream().mapToLong(Reaped::requeued).sum();
    if (requeued > 0) requeuedCounter.accept(requeued);
    return reaped;
  }

  private void reapQuietly() {
    if (!trust.expiredLeasesMeanDeadOwners()) {
      log.info("not looking for dead nodes yet: Redis was unreachable less than a lease ago, so nobody could renew");
      return;
    }
    try {
      reapOnce();
    } catch (EngineUnavailableException e) {
      log.warn("could not look for dead nodes; next try in {}: {}", every, e.getMessage());
    }
  }

  /** Stops the schedule; a run under way finishes. Idempotent. */
  @Override
  public synchronized void close() {
    if (reaping != null) reaping.cancel();
  }
}
