package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.cluster.ArchiveQueue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ArchiveQueue} in Redis: two sorted sets of job ids, {@code bc:archive:pending}
 * (scored by the epoch ms a job may next be tried; {@link RedisAcceptedLines}'s seal script adds a
 * job at score 0 in the step that seals it) and {@code bc:archive:archived} (scored by the epoch ms
 * its stream may go). Each method is one command or one Lua script, so nodes share the queue
 * safely. Dropping a stream deletes {@code bc:{<jobId>}:log} only: the job's hash keeps {@code
 * sealed} and the log's owner, so every later write is still fenced and every node still sees the
 * log as sealed. {@link RedisJobStore#delete} removes a deleted job from both sets.
 *
 * <p>Failures to reach Redis throw {@link EngineUnavailableException}. Thread-safe (no state).
 */
public final class RedisArchiveQueue implements ArchiveQueue {

  static final String PENDING = "bc:archive:pending";
  static final String ARCHIVED = "bc:archive:archived";

  // KEYS: pending. ARGV: now ms, hold-until ms, max. Answers the ids taken.
  private static final RedisScript TAKE_DUE = new RedisScript("""
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
      for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
      return ids
      """, ScriptOutputType.MULTI);

  // KEYS: pending, archived. ARGV: id, drop-at ms. 1 when it was pending.
  private static final RedisScript ARCHIVE = new RedisScript("""
      if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: archived. ARGV: now ms, max. Answers the ids whose stream was dropped.
  // why the stream's key is built here: it is derived from the id read (Redis Cluster is not supported anyway)
  private static final RedisScript DROP_STREAMS = new RedisScript("""
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
      for _, id in ipairs(ids) do
        redis.call('DEL', 'bc:{' .. id .. '}:log')
        redis.call('ZREM', KEYS[1], id)
      end
      return ids
      """, ScriptOutputType.MULTI);

  private final RedisEngine redis;

  public RedisArchiveQueue(RedisEngine redis) {
    this.redis = redis;
  }

  @Override
  public List<String> takeDue(Instant now, Instant holdUntil, int max) {
    List<Object> ids = redis.call("taking sealed logs to archive", r -> TAKE_DUE.run(r, new String[] {PENDING},
        Long.toString(now.toEpochMilli()), Long.toString(holdUntil.toEpochMilli()), Integer.toString(max)));
    return strings(ids);
  }

  @Override
  public void retryAt(String jobId, Instant when) {
    redis.call("putting off the archive of job " + jobId,
        r -> r.zadd(PENDING, io.lettuce.core.ZAddArgs.Builder.xx(), (double) when.toEpochMilli(), jobId));
  }

  @Override
  public boolean archived(String jobId, Instant dropStreamAt) {
    Long done = redis.call("marking the log of job " + jobId + " archived",
        r -> ARCHIVE.<Long>run(r, new String[] {PENDING, ARCHIVED}, jobId, Long.toString(dropStreamAt.toEpochMilli())));
    return Long.valueOf(1).equals(done);
  }

  @Override
  public List<String> dropStreams(Instant now, int max) {
    List<Object> ids = redis.call("dropping archived logs' streams",
        r -> DROP_STREAMS.run(r, new String[] {ARCHIVED}, Long.toString(now.toEpochMilli()), Integer.toString(max)));
    return strings(ids);
  }

  @Override
  public void forget(String jobId) {
    redis.call("forgetting the archive of job " + jobId, r -> {
      r.zrem(PENDING, jobId);
      return r.zrem(ARCHIVED, jobId);
    });
  }

  @Override
  public long pendingCount() {
    return redis.call("counting sealed logs to archive", r -> r.zcard(PENDING));
  }

  private static List<String> strings(List<Object> ids) {
    List<String> out = new ArrayList<>(ids.size());
    for (Object id : ids) out.add((String) id);
    return out;
  }
}
