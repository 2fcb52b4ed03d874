package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.job.JobQueue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * The {@link JobQueue} of one node of a cluster: the waiting ids are shared by every node, the
 * slots are this node's own.
 *
 * <ul>
 *   <li>{@code bc:queue}, a list: waiting job ids, oldest first ({@code RPUSH} to add, {@code LPOP}
 *       to claim).
 *   <li>{@code bc:node:<nodeId>:jobs}, a set: the ids this node has claimed and not released. It
 *       lives in Redis so a restarted node still knows how many slots it holds.
 *   <li>{@code bc:queue:slots}, a hash: each node's {@code maxConcurrentJobs}, written by the node
 *       on every claim, so {@link #enqueue} can count the cluster's slots.
 *   <li>{@code bc:{<jobId>}:hold}, a string with a time to live: the job was just queued and its
 *       submitter is writing its place; while it exists no node claims the job, nor any behind it.
 * </ul>
 *
 * <p>{@link #claim()} is one Lua script: it pops the oldest id only when this node holds fewer than
 * its {@code maxConcurrentJobs}, and adds it to the node's set in the same step, so an id is
 * claimed by exactly one node and no node exceeds its slots. {@link #remove} is {@code LREM}, which
 * Redis runs between scripts, never inside one: of a remove and a claim of the same id exactly one
 * gets it. Every method throws {@link EngineUnavailableException} when Redis cannot be reached.
 *
 * <p>A node that dies leaves its set and its entry in {@code bc:queue:slots} behind until a live
 * node's {@link RedisQueueReaper} sees its liveness key gone and frees both; a node that starts
 * again with the same id calls {@link #releaseClaimsOfEarlierRun()} before its workers claim.
 *
 * <p>Threading: safe for concurrent use; it holds no state of its own.
 */
public final class RedisJobQueue implements JobQueue {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisJobQueue.class);

  static final String QUEUE = "bc:queue";
  static final String SLOTS = "bc:queue:slots";

  // KEYS: queue, slots hash, the job's hold. ARGV: job id, the hold's time to live (ms). The claimed sets are
  // named from the node ids in the slots hash (why Redis Cluster is not supported: keys a script names itself
  // may sit on another shard). Returns -1 when the id is already waiting or claimed, else how many jobs are
  // ahead of it for a slot.
  private static final RedisScript ENQUEUE = new RedisScript("""
      local slots, claimed = 0, 0
      local nodes = redis.call('HGETALL', KEYS[2])
      for i = 1, #nodes, 2 do
        slots = slots + tonumber(nodes[i + 1])
        local set = 'bc:node:' .. nodes[i] .. ':jobs'
        if redis.call('SISMEMBER', set, ARGV[1]) == 1 then return -1 end
        claimed = claimed + redis.call('SCARD', set)
      end
      if redis.call('LPOS', KEYS[1], ARGV[1]) then return -1 end
      redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
      local waiting = redis.call('RPUSH', KEYS[1], ARGV[1])
      return math.max(0, waiting + claimed - slots)
      """, ScriptOutputType.INTEGER);

  // KEYS: queue, this node's claimed set, slots hash. ARGV: node id, its slots. Returns the id or nil.
  // A held head (its submitter still announces its place) is left, and so is everything behind it:
  // the queue's order stands, and the hold lasts one announcement (or its time to live).
  private static final RedisScript CLAIM = new RedisScript("""
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
      if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[2]) then return false end
      local id = redis.call('LINDEX', KEYS[1], 0)
      if not id then return false end
      if redis.call('EXISTS', 'bc:{' .. id .. '}:hold') == 1 then return false end
      redis.call('LPOP', KEYS[1])
      redis.call('SADD', KEYS[2], id)
      return id
      """, ScriptOutputType.VALUE);

  // KEYS: the job's hold. ARGV: job id. Ends the hold and wakes the nodes (RedisQueueWakeups): the job can be claimed now.
  private static final RedisScript RELEASE_HOLD = new RedisScript("""
      redis.call('DEL', KEYS[1])
      redis.call('PUBLISH', '%s', ARGV[1])
      return 1
      """.formatted(RedisQueueWakeups.CHANNEL), ScriptOutputType.INTEGER);

  // KEYS: queue. ARGV: node id. Returns how many ids went back to the queue.
  private static final RedisScript RELEASE_ALL = new RedisScript(NodeKeys.LUA_FUNCTIONS + """
      return release_claims(ARGV[1], KEYS[1])
      """, ScriptOutputType.INTEGER);

  /** How long a hold lasts when no one ends it, by default: the default lease. */
  static final Duration DEFAULT_HOLD = Duration.ofSeconds(10);

  private final RedisEngine redis;
  private final String nodeId;
  private final int maxConcurrent;
  private final String claimedKey;
  private final Duration hold;

  /**
   * The queue as node {@code nodeId} sees it, with {@code maxConcurrent} slots; registers those
   * slots with the cluster at once.
   *
   * @throws IllegalArgumentException when the node id is not 1 to 64 letters, digits or '-', or
   *     there is no slot
   * @throws EngineUnavailableException when Redis cannot be reached to register the slots
   */
  public RedisJobQueue(RedisEngine redis, String nodeId, int maxConcurrent) {
    this(redis, nodeId, maxConcurrent, DEFAULT_HOLD);
  }

  /**
   * The same, with the longest a job just queued here stays unclaimable while its place is
   * announced ({@link #enqueue(String, IntConsumer)}): the time to live of its hold, which only
   * matters when this node dies meanwhile (the wiring gives the lease).
   */
  public RedisJobQueue(RedisEngine redis, String nodeId, int maxConcurrent, Duration hold) {
    if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrentJobs must be at least 1, got " + maxConcurrent);
    if (hold.toMillis() < 1) throw new IllegalArgumentException("the hold of a queued job must be at least 1 ms, got " + hold);
    NodeKeys.checked(nodeId);
    this.redis = redis;
    this.nodeId = nodeId;
    this.maxConcurrent = maxConcurrent;
    this.claimedKey = claimedKey(nodeId);
    this.hold = hold;
    redis.call("registering the slots of node " + nodeId, r -> r.hset(SLOTS, nodeId, Integer.toString(maxConcurrent)));
  }

  static String claimedKey(String nodeId) {
    return NodeKeys.claimed(nodeId);
  }

  /**
   * At start-up, before this node's workers claim: gives up what the node's set says it claimed in
   * an earlier run. The node runs nothing yet, so those ids would hold its slots forever. Ids whose
   * job never started (still {@code queued}) go back to the head of the queue; the jobs that did
   * start are failed by {@code JobService.recover()} (they are this node's) or by whoever sees their
   * lease pass.
   *
   * @return how many ids went back to the queue
   * @throws EngineUnavailableException when Redis cannot be reached
   */
  public int releaseClaimsOfEarlierRun() {
    Long back = redis.call("releasing the earlier claims of node " + nodeId,
        r -> RELEASE_ALL.<Long>run(r, new String[] {QUEUE}, nodeId));
    return Math.toIntExact(back);
  }

  /**
   * Adds a job id at the end of the cluster's queue, held (no node claims it, nor any id behind it)
   * until {@code announce} returned or threw, or the hold's time to live passed.
   *
   * @return how many jobs are ahead of it for a slot, counted over the whole cluster: the waiting
   *     ids (this one included) plus the ids every node holds, minus the slots of every node that
   *     registered; 0 when a slot anywhere is free for it now. With one node this is exactly what
   *     the single-node queue answers.
   * @throws IllegalStateException when the id is already waiting or claimed
   */
  @Override
  public int enqueue(String jobId, IntConsumer announce) {
    String holdKey = holdKey(jobId);
    Long ahead = redis.call("queueing job " + jobId,
        r -> ENQUEUE.<Long>run(r, new String[] {QUEUE, SLOTS, holdKey}, jobId, Long.toString(hold.toMillis())));
    if (ahead < 0) throw new IllegalStateException("job " + jobId + " is already queued");
    try {
      announce.accept(Math.toIntExact(ahead));
    } finally {
      try {
        redis.call("releasing the hold of job " + jobId, r -> RELEASE_HOLD.<Long>run(r, new String[] {holdKey}, jobId));
      } catch (EngineUnavailableException e) {
        // why not thrown: the job is queued (and announced); its hold ends by its time to live
        log.warn("{} - could not release the job's hold in the queue; it ends within {}: {}", jobId, hold, e.getMessage());
      }
    }
    return Math.toIntExact(ahead);
  }

  static String holdKey(String jobId) {
    return "bc:{" + jobId + "}:hold";
  }

  @Override
  public Optional<String> claim() {
    String id = redis.callToReplicate("claiming a job for node " + nodeId,
        r -> CLAIM.<String>run(r, new String[] {QUEUE, claimedKey, SLOTS}, nodeId, Integer.toString(maxConcurrent)));
    if (id != null) redis.awaitReplicas("claiming job " + id);
    return Optional.ofNullable(id);
  }

  @Override
  public void release(String jobId) {
    redis.call("releasing the slot of job " + jobId, r -> r.srem(claimedKey, jobId));
  }

  /** Whether this node claimed the job and has not released it: it runs the job now. */
  public boolean isClaimedHere(String jobId) {
    return redis.call("checking whether node " + nodeId + " runs job " + jobId, r -> r.sismember(claimedKey, jobId));
  }

  @Override
  public boolean remove(String jobId) {
    return redis.call("removing job " + jobId + " from the queue", r -> r.lrem(QUEUE, 0, jobId)) > 0;
  }

  @Override
  public OptionalInt position(String jobId) {
    Long index = redis.call("finding job " + jobId + " in the queue", r -> r.lpos(QUEUE, jobId));
    return index == null ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(index) + 1);
  }
}
