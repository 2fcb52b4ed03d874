package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobStore;
import dev.buildcast.storage.JobRecordJson;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobStore} of a cluster: every node reads and writes the same records in Redis.
 *
 * <ul>
 *   <li>{@code bc:{<jobId>}:job}, a hash: {@code rec} (the record's JSON, {@link JobRecordJson}),
 *       {@code version}, and copies of {@code state} and {@code owner} (absent while nobody owns
 *       it) for scripts that decide on them without parsing JSON.
 *   <li>{@code bc:jobs}, a sorted set: every job id, scored by its {@code queuedAt} in epoch
 *       milliseconds, for {@link #all()}.
 *   <li>{@code bc:leases}, a sorted set: the id of every job that runs under a lease, scored by
 *       its {@code leaseUntil} in epoch milliseconds, for {@link #withExpiredLeases} (the sweep
 *       every node runs every few seconds then reads only those, not every retained job).
 * </ul>
 *
 * <p>{@link #update} is one Lua script: it compares the stored version and writes the new record
 * in one step, so of several nodes writing from the same version exactly one wins. {@link #save}
 * and {@link #delete} change the hash and the set in one script each, so {@link #all()} never lists
 * an id whose record was never written; {@link #delete} takes the job's log stream with it. Every method throws {@link EngineUnavailableException}
 * when Redis cannot be reached.
 *
 * <p>Threading: safe for concurrent use; it holds no state of its own.
 */
public final class RedisJobStore implements JobStore {

  private static final Logger log = LoggerFactory.getLogger(RedisJobStore.class);

  static final String JOBS = "bc:jobs";
  static final String LEASES = "bc:leases";

  // KEYS: job hash, bc:jobs, bc:leases. ARGV: id, rec, version, state, score, lease score ('' for none), [owner].
  private static final RedisScript SAVE = new RedisScript("""
      redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'version', ARGV[3], 'state', ARGV[4])
      if ARGV[7] then redis.call('HSET', KEYS[1], 'owner', ARGV[7]) else redis.call('HDEL', KEYS[1], 'owner') end
      redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
      if ARGV[6] ~= '' then redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1]) else redis.call('ZREM', KEYS[3], ARGV[1]) end
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: job hash, bc:leases. ARGV: expected version, rec, new version, state, id, lease score ('' for none), [owner].
  // 1 = stored, 0 = refused.
  private static final RedisScript UPDATE = new RedisScript("""
      if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
      redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'version', ARGV[3], 'state', ARGV[4])
      if ARGV[7] then redis.call('HSET', KEYS[1], 'owner', ARGV[7]) else redis.call('HDEL', KEYS[1], 'owner') end
      if ARGV[6] ~= '' then redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5]) else redis.call('ZREM', KEYS[2], ARGV[5]) end
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: job hash, bc:jobs, the job's log stream, the archive's two sets, the job's notification hash, bc:notify, bc:leases.
  // ARGV: id.
  private static final RedisScript DELETE = new RedisScript("""
      redis.call('DEL', KEYS[1], KEYS[3], KEYS[6])
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('ZREM', KEYS[8], ARGV[1])
      redis.call('ZREM', KEYS[4], ARGV[1])
      redis.call('ZREM', KEYS[5], ARGV[1])
      redis.call('SREM', KEYS[7], ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  private final RedisEngine redis;

  public RedisJobStore(RedisEngine redis) {
    this.redis = redis;
  }

  static String jobKey(String jobId) {
    // why the braces: a hash tag, so all of a job's keys would share one Redis Cluster slot
    return "bc:{" + jobId + "}:job";
  }

  @Override
  public void save(JobRecord job) {
    String[] args = withOwner(job, job.id(), json(job), Long.toString(job.version()), stateOf(job),
        Long.toString(job.queuedAt().toEpochMilli()), leaseScore(job));
    redis.callToReplicate("saving job " + job.id(), r -> SAVE.<Long>run(r, new String[] {jobKey(job.id()), JOBS, LEASES}, args));
    redis.awaitReplicas("saving job " + job.id());
  }

  @Override
  public Optional<JobRecord> update(long expectedVersion, JobRecord next) {
    JobRecord stored = next.withVersion(expectedVersion + 1);
    String[] args = withOwner(stored, Long.toString(expectedVersion), json(stored), Long.toString(stored.version()), stateOf(stored),
        next.id(), leaseScore(stored));
    Long result = redis.callToReplicate("updating job " + next.id(),
        r -> UPDATE.<Long>run(r, new String[] {jobKey(next.id()), LEASES}, args));
    if (!Long.valueOf(1).equals(result)) return Optional.empty();
    redis.awaitReplicas("updating job " + next.id());
    return Optional.of(stored);
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    if (!JobFiles.isValidId(jobId)) return Optional.empty();
    String rec = redis.call("reading job " + jobId, r -> r.hget(jobKey(jobId), "rec"));
    return rec == null ? Optional.empty() : Optional.of(parse(jobId, rec));
  }

  @Override
  public List<JobRecord> all() {
    List<String> ids = redis.call("listing jobs", r -> r.zrange(JOBS, 0, -1));
    List<JobRecord> jobs = new ArrayList<>(ids.size());
    for (String id : ids) {
      // why one read per id: a record deleted meanwhile is skipped, and a job list never blocks Redis in one long script
      String rec = redis.call("reading job " + id, r -> r.hget(jobKey(id), "rec"));
      if (rec == null) continue;
      try {
        jobs.add(parse(id, rec));
      } catch (IllegalStateException e) {
        log.error("{} - job record unreadable, skipped: {}", id, e.getMessage());
      }
    }
    return jobs;
  }

  /**
   * Deletes the record and, in the same script, every other key of the job: its log stream {@code
   * bc:{<jobId>}:log} ({@link RedisAcceptedLines}; the log's fields live in the hash and go with
   * it), its place in the archive's sets ({@link RedisArchiveQueue}) and its pending notification
   * deliveries ({@link RedisNotificationStore}: a job gone cannot be told about). why here and not only in the log's own delete: once the record is gone nothing can find
   * the id again (retention lists records), so a log delete that did not run after it (the node
   * stopped, a local file could not be deleted first, Redis went away between the two calls) would
   * leave the stream forever. An owner still shipping the job's log is fenced from then on (its
   * {@code logOwner} is gone), so nothing writes the keys again.
   */
  @Override
  public void delete(String jobId) {
    redis.call("deleting job " + jobId,
        r -> DELETE.<Long>run(r, new String[] {jobKey(jobId), JOBS, RedisAcceptedLines.logKey(jobId),
            RedisArchiveQueue.PENDING, RedisArchiveQueue.ARCHIVED, RedisNotificationStore.notifyKey(jobId),
            RedisNotificationStore.JOBS_WITH_DELIVERIES, LEASES}, jobId));
  }

  /**
   * Reads only the jobs {@code bc:leases} scores at or before {@code now}, and of those the ones
   * whose record (read now) still says the lease passed: the index is written with the record,
   * in one script, so it can only name a job whose record was since renewed or ended.
   */
  @Override
  public List<JobRecord> withExpiredLeases(Instant now) {
    List<String> ids = redis.call("listing expired job leases",
        r -> r.zrangebyscore(LEASES, Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli())));
    List<JobRecord> expired = new ArrayList<>(ids.size());
    for (String id : ids) {
      try {
        find(id).filter(job -> job.leaseExpiredAt(now)).ifPresent(expired::add);
      } catch (IllegalStateException e) {
        log.error("{} - job record unreadable, skipped: {}", id, e.getMessage());
      }
    }
    return expired;
  }

  /** The job's lease end in epoch milliseconds while it runs under one; empty otherwise. */
  private static String leaseScore(JobRecord job) {
    return job.state().isRunning() && job.leaseUntil() != null ? Long.toString(job.leaseUntil().toEpochMilli()) : "";
  }

  private static String json(JobRecord job) {
    return new String(JobRecordJson.write(job), StandardCharsets.UTF_8);
  }

  private static JobRecord parse(String jobId, String rec) {
    try {
      return JobRecordJson.read(rec.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the record of job " + jobId + " in " + jobKey(jobId) + " is not a job record's JSON: "
          + e.getMessage(), e);
    }
  }

  private static String stateOf(JobRecord job) {
    return job.state().name().toLowerCase(Locale.ROOT);
  }

  /** {@code args}, then the owner when the record has one (the scripts remove the field otherwise). */
  private static String[] withOwner(JobRecord job, String... args) {
    if (job.owner() == null) return args;
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = job.owner();
    return all;
  }
}
