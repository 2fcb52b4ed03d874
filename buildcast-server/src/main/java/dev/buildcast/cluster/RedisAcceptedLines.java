package dev.buildcast.cluster;

import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.log.cluster.StreamEntry;
import dev.buildcast.log.cluster.StreamPosition;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The {@link AcceptedLines} of a cluster: every job's accepted lines and marks in a Redis stream.
 *
 * <ul>
 *   <li>{@code bc:{<jobId>}:log}, a stream: a batch of lines at id {@code <last seq>-0} (fields:
 *       {@link RedisLineBatch}), a mark at {@code <seq of the line before it>-<mark number>}
 *       (fields {@code k}: {@code status} or {@code seal}, {@code p}: the status event).
 *   <li>in the job's hash {@code bc:{<jobId>}:job} (the one {@link RedisJobStore} writes): {@code
 *       logOwner} (the fencing token {@code nodeId:epoch}), {@code lastSeq}, {@code lastMark},
 *       {@code sealed} ({@code 1} once sealed). why not the store's {@code owner}: that is a copy of
 *       the record's owner, a node id without epoch, which every record update rewrites or removes;
 *       fencing must compare the epoch, and only a claim or takeover may change it.
 * </ul>
 *
 * <p>{@link #append} and {@link #mark} are one Lua script each: the owner check, the comparison
 * with {@code lastSeq}/{@code lastMark}, the {@code XADD} and the counters' update happen in one
 * step, so no other node's write falls between them. Reads are {@code XRANGE}; {@link
 * #awaitEntries} is one {@code XREAD BLOCK} over the jobs' streams and this object's wake stream
 * {@code bc:wake:<random id>}, on a connection of its own. {@link #wake()} adds an entry to the
 * wake stream. why a stream rather than {@code CLIENT UNBLOCK}: a wake-up that comes before the
 * read blocks is kept in the stream and ends the next read at once, where an unblock sent too early
 * is lost; it also needs no client id and works through proxies.
 *
 * <p>Failures to reach Redis throw {@link EngineUnavailableException}. Threading: safe for
 * concurrent use; one thread at a time waits in {@link #awaitEntries} (others wait their turn).
 */
public final class RedisAcceptedLines implements AcceptedLines, AutoCloseable {

  static final String LOG_OWNER = "logOwner";
  static final String LAST_SEQ = "lastSeq";
  static final String LAST_MARK = "lastMark";
  static final String SEALED = "sealed";
  private static final String MARK_KIND = "k";
  private static final String MARK_PAYLOAD = "p";
  /**
   * Entries per job and read: a watcher far behind gets its backlog over several reads. why 16: an
   * entry holds up to 256 KiB of lines, so one read carries at most 4 MiB per job; at 100 a mirror
   * far behind had Redis build, and itself decode, 25 MiB before its first line was mirrored.
   */
  static final int ENTRIES_PER_READ = 16;
  /** A wake stream only needs its newest entry; a node that died leaves it to expire. */
  private static final long WAKE_STREAM_LENGTH = 10;
  private static final long WAKE_STREAM_SECONDS = 24 * 60 * 60;

  /**
   * Lua run first by every script that writes: {@code kept_tail(stream, hash)} makes the hash's
   * {@code lastSeq} and {@code lastMark} agree with what the stream really holds and answers the
   * last seq. why: a Redis restarted from an AOF that lost its last second, a failover to a replica
   * that lagged, or an operator's {@code XTRIM} leave the stream shorter than the owner believes;
   * the hash may have lost the same writes (then this changes nothing) or not (a trim). Its entries
   * are the truth: the counters come down to them, and the stream's own last id comes down too
   * ({@code XSETID}), or the owner's re-shipped entries, at ids it had used already, would be refused.
   * Costs one {@code XREVRANGE … COUNT 1} per write; the backward scan for the last mark runs only
   * when a tail was lost.
   */
  private static final String KEPT_TAIL = """
      local function seq_and_index(id)
        local s, i = string.match(id, '^(%d+)-(%d+)$')
        return tonumber(s), tonumber(i)
      end
      local function last_mark_kept(stream)
        local from = '+'
        while true do
          local page = redis.call('XREVRANGE', stream, from, '-', 'COUNT', 100)
          if #page == 0 then return 0 end
          for _, e in ipairs(page) do
            local _, index = seq_and_index(e[1])
            if index > 0 then return index end
          end
          from = '(' .. page[#page][1]
        end
      end
      local function kept_tail(stream, hash)
        local stored = tonumber(redis.call('HGET', hash, 'lastSeq') or '0')
        local top = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
        local kept = 0
        if top[1] then kept = seq_and_index(top[1][1]) end
        if kept >= stored then return stored end
        redis.call('HSET', hash, 'lastSeq', kept, 'lastMark', last_mark_kept(stream))
        if top[1] then
          redis.call('XSETID', stream, top[1][1])
        elseif redis.call('EXISTS', stream) == 1 then
          redis.call('XSETID', stream, '0-0')
        end
        return kept
      end
      """;

  // KEYS: log stream, job hash. ARGV: owner token, previous last seq, last seq, then the entry's field/value pairs.
  private static final RedisScript APPEND = new RedisScript(KEPT_TAIL + """
      local h = redis.call('HMGET', KEYS[2], 'logOwner', 'sealed')
      if h[1] ~= ARGV[1] or h[2] then return {'FENCED', tonumber(redis.call('HGET', KEYS[2], 'lastSeq') or '0')} end
      local last = kept_tail(KEYS[1], KEYS[2])
      if last >= tonumber(ARGV[3]) then return {'DUPLICATE', last} end
      if last ~= tonumber(ARGV[2]) then return {'GAP', last} end
      redis.call('XADD', KEYS[1], ARGV[3] .. '-0', unpack(ARGV, 4))
      redis.call('HSET', KEYS[2], 'lastSeq', ARGV[3])
      return {'ACCEPTED', tonumber(ARGV[3])}
      """, ScriptOutputType.MULTI);

  // KEYS: log stream, job hash, the archive's pending set. ARGV: owner token, seq before the mark, mark number, kind, payload, job id.
  // why the seal queues the archive in the same step: a node dying right after a seal leaves no log unarchived
  private static final RedisScript MARK = new RedisScript(KEPT_TAIL + """
      local owner = redis.call('HGET', KEYS[2], 'logOwner')
      if owner ~= ARGV[1] then return {'FENCED', tonumber(redis.call('HGET', KEYS[2], 'lastSeq') or '0')} end
      local sealed = redis.call('HGET', KEYS[2], 'sealed')
      local last = tonumber(redis.call('HGET', KEYS[2], 'lastSeq') or '0')
      if not sealed then last = kept_tail(KEYS[1], KEYS[2]) end
      local lastMark = tonumber(redis.call('HGET', KEYS[2], 'lastMark') or '0')
      local number = tonumber(ARGV[3])
      if lastMark >= number then return {'DUPLICATE', last} end
      if sealed then return {'FENCED', last} end
      if last ~= tonumber(ARGV[2]) or lastMark ~= number - 1 then return {'GAP', last} end
      redis.call('XADD', KEYS[1], ARGV[2] .. '-' .. ARGV[3], 'k', ARGV[4], 'p', ARGV[5])
      redis.call('HSET', KEYS[2], 'lastMark', ARGV[3])
      if ARGV[4] == 'seal' then
        redis.call('HSET', KEYS[2], 'sealed', '1')
        redis.call('ZADD', KEYS[3], 'NX', 0, ARGV[6])
      end
      return {'ACCEPTED', last}
      """, ScriptOutputType.MULTI);

  // KEYS: job hash, log stream. ARGV: node id. Answers the owner token, last seq, last mark and 1 when sealed.
  private static final RedisScript TAKE_OVER = new RedisScript(KEPT_TAIL + """
      local h = redis.call('HMGET', KEYS[1], 'logOwner', 'sealed')
      local owner = h[1]
      if not h[2] then
        kept_tail(KEYS[2], KEYS[1])
        if not owner then
          owner = ARGV[1] .. ':0'
        else
          local node, epoch = string.match(owner, '^(.*):(%d+)$')
          if node ~= ARGV[1] then owner = ARGV[1] .. ':' .. (tonumber(epoch) + 1) end
        end
        redis.call('HSET', KEYS[1], 'logOwner', owner)
      end
      local c = redis.call('HMGET', KEYS[1], 'lastSeq', 'lastMark')
      return {owner, tonumber(c[1] or '0'), tonumber(c[2] or '0'), h[2] and 1 or 0}
      """, ScriptOutputType.MULTI);

  // KEYS: log stream, job hash.
  private static final RedisScript DELETE = new RedisScript("""
      redis.call('DEL', KEYS[1])
      redis.call('HDEL', KEYS[2], 'logOwner', 'lastSeq', 'lastMark', 'sealed')
      return 1
      """, ScriptOutputType.INTEGER);

  private final RedisEngine redis;
  private final String wakeKey = "bc:wake:" + UUID.randomUUID();
  /** A wake-up the engine may not have stored (it was down): the next wait returns at once. */
  private final AtomicBoolean wakeNotSent = new AtomicBoolean();
  /** Guards the blocking connection and {@link #lastWakeId}. */
  private final Object waiting = new Object();
  private StatefulRedisConnection<String, String> blocking;
  private String lastWakeId = "0-0";
  /** Told how long each answered append took, in ns (the append-time metric); set once by the wiring. */
  private volatile LongConsumer appendTimes = nanos -> {};

  public RedisAcceptedLines(RedisEngine redis) {
    this.redis = redis;
  }

  /** Has {@code timer} told the round trip (ns) of every append Redis answers from now on; must not block. */
  public void timeAppendsWith(LongConsumer timer) {
    this.appendTimes = Objects.requireNonNull(timer, "timer");
  }

  static String logKey(String jobId) {
    // why the braces: the same hash tag as the job's hash, so the scripts' keys would share a slot
    return "bc:{" + jobId + "}:log";
  }

  @Override
  public AppendResult append(String jobId, LogOwner owner, long previousLastSeq, List<LogLine> lines) {
    AcceptedLines.requireContiguous(lines);
    if (lines.get(0).seq() != previousLastSeq + 1) {
      throw new IllegalArgumentException("lines start at " + lines.get(0).seq() + ", not after " + previousLastSeq);
    }
    List<String> args = new ArrayList<>();
    args.add(owner.token());
    args.add(Long.toString(previousLastSeq));
    args.add(Long.toString(lines.get(lines.size() - 1).seq()));
    RedisLineBatch.fields(lines).forEach((field, value) -> {
      args.add(field);
      args.add(value);
    });
    String[] keys = {logKey(jobId), RedisJobStore.jobKey(jobId)};
    long start = System.nanoTime();
    List<Object> answer = redis.callToReplicate("appending to the log of job " + jobId, r -> APPEND.run(r, keys, args.toArray(String[]::new)));
    appendTimes.accept(System.nanoTime() - start);
    return replicated(result(answer), "the lines of job " + jobId + " up to " + lines.get(lines.size() - 1).seq());
  }

  @Override
  public AppendResult mark(String jobId, LogOwner owner, long afterSeq, long number, LogMark mark) {
    if (number < 1) throw new IllegalArgumentException("mark numbers start at 1, got " + number);
    if (afterSeq < 0) throw new IllegalArgumentException("a mark follows seq 0 or later, got " + afterSeq);
    String[] keys = {logKey(jobId), RedisJobStore.jobKey(jobId), RedisArchiveQueue.PENDING};
    String[] args = {owner.token(), Long.toString(afterSeq), Long.toString(number), mark.kind().name().toLowerCase(Locale.ROOT),
        mark.payload(), jobId};
    List<Object> answer = redis.callToReplicate("marking the log of job " + jobId, r -> MARK.run(r, keys, args));
    return replicated(result(answer), "mark " + number + " of job " + jobId);
  }

  @Override
  public Takeover takeOver(String jobId, String nodeId) {
    String[] keys = {RedisJobStore.jobKey(jobId), logKey(jobId)};
    List<Object> answer = redis.callToReplicate("taking over the log of job " + jobId, r -> TAKE_OVER.run(r, keys, nodeId));
    // why not required: failing a takeover that landed would fail the job's start on a replica's
    // moment of lag; the new owner's first line counts only after a WAIT on the same connection,
    // which covers this write too, so nothing is shown before the takeover is on the replicas
    redis.awaitReplicas("the takeover of the log of job " + jobId);
    String token = (String) answer.get(0);
    int colon = token.lastIndexOf(':');
    LogOwner owner = new LogOwner(token.substring(0, colon), Long.parseLong(token.substring(colon + 1)));
    return new Takeover(owner, (Long) answer.get(1), (Long) answer.get(2), ((Long) answer.get(3)) == 1L);
  }

  @Override
  public List<StreamEntry> read(String jobId, StreamPosition after, int maxEntries) {
    if (maxEntries < 1) return List.of();
    String key = logKey(jobId);
    List<StreamMessage<String, String>> messages = redis.call("reading the log of job " + jobId, r -> r.xrange(key,
            Range.from(Range.Boundary.excluding(after.toString()), Range.Boundary.unbounded()), Limit.from(maxEntries)));
    List<StreamEntry> entries = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> message : messages) entries.add(entry(key, message));
    return entries;
  }

  @Override
  public Map<String, List<StreamEntry>> awaitEntries(Map<String, StreamPosition> watched, Duration timeout)
      throws InterruptedException {
    if (wakeNotSent.getAndSet(false)) return Map.of();
    List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
    Map<String, String> jobByKey = new LinkedHashMap<>();
    watched.forEach((jobId, after) -> {
      offsets.add(XReadArgs.StreamOffset.from(logKey(jobId), after.toString()));
      jobByKey.put(logKey(jobId), jobId);
    });
    synchronized (waiting) {
      offsets.add(XReadArgs.StreamOffset.from(wakeKey, lastWakeId));
      @SuppressWarnings("unchecked")
      XReadArgs.StreamOffset<String>[] streams = offsets.toArray(XReadArgs.StreamOffset[]::new);
      long deadline = System.nanoTime() + timeout.toNanos();
      // why slices: a block longer than the command timeout would fail as if Redis were gone
      long slice = Math.max(1, redis.commandTimeout().toMillis() / 2);
      while (true) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        List<StreamMessage<String, String>> messages = blockingRead(XReadArgs.Builder.block(Math.min(slice, left))
            .count(ENTRIES_PER_READ), streams);
        if (!messages.isEmpty() || System.nanoTime() - deadline >= 0) return found(messages, jobByKey, watched);
      }
    }
  }

  private List<StreamMessage<String, String>> blockingRead(XReadArgs args, XReadArgs.StreamOffset<String>[] streams)
      throws InterruptedException {
    try {
      if (blocking == null) blocking = redis.connectOwn("waiting for log entries");
      return blocking.sync().xread(args, streams);
    } catch (RedisCommandInterruptedException e) {
      dropBlockingConnection();
      throw new InterruptedException("interrupted while waiting for log entries");
    } catch (RedisException | EngineUnavailableException e) {
      if (e instanceof RedisException) redis.errored(); // why only these: the engine counted its own
      // why drop it: a read that failed may still be blocked in Redis, holding the connection
      dropBlockingConnection();
      throw new EngineUnavailableException("the log engine (" + redis.name() + ") could not be reached for waiting for log entries: "
          + e.getMessage() + "; check that Redis is running and reachable from this server", e);
    }
  }

  private Map<String, List<StreamEntry>> found(List<StreamMessage<String, String>> messages, Map<String, String> jobByKey,
      Map<String, StreamPosition> watched) {
    Map<String, List<StreamEntry>> found = new LinkedHashMap<>();
    Set<String> damaged = new HashSet<>();
    for (StreamMessage<String, String> message : messages) {
      if (message.getStream().equals(wakeKey)) {
        lastWakeId = message.getId();
        continue;
      }
      String jobId = jobByKey.get(message.getStream());
      if (jobId == null || damaged.contains(jobId)) continue;
      List<StreamEntry> entries = found.computeIfAbsent(jobId, id -> new ArrayList<>());
      try {
        entries.add(entry(message.getStream(), message));
      } catch (IllegalStateException | IllegalArgumentException e) {
        // why not throw: the whole read would fail, and every other job's lines with it, round after round
        StreamPosition before = entries.isEmpty() ? watched.get(jobId) : entries.get(entries.size() - 1).position();
        entries.add(new StreamEntry.Damaged(before, e.getMessage()));
        damaged.add(jobId);
      }
    }
    return found;
  }

  @Override
  public void wake() {
    wakeNotSent.set(true);
    try {
      redis.call("waking the log reader", r -> {
        r.xadd(wakeKey, XAddArgs.Builder.maxlen(WAKE_STREAM_LENGTH).approximateTrimming(), "w", "1");
        return r.expire(wakeKey, WAKE_STREAM_SECONDS);
      });
      wakeNotSent.set(false);
    } catch (EngineUnavailableException e) {
      // why swallow: the flag stays set, so the next wait returns at once, which is all a wake-up asks
    }
  }

  @Override
  public void delete(String jobId) {
    String[] keys = {logKey(jobId), RedisJobStore.jobKey(jobId)};
    redis.call("deleting the log of job " + jobId, r -> DELETE.<Long>run(r, keys));
  }

  /** Closes the blocking connection and removes the wake stream (best effort: Redis may be gone). */
  @Override
  public void close() {
    synchronized (waiting) {
      dropBlockingConnection();
    }
    try {
      redis.call("removing the wake stream", r -> r.del(wakeKey));
    } catch (EngineUnavailableException e) {
      // why ignore: the wake stream expires by itself
    }
  }

  private void dropBlockingConnection() {
    if (blocking == null) return;
    try {
      blocking.close();
    } catch (RedisException e) {
      // why ignore: the connection is being thrown away
    }
    blocking = null;
  }

  /**
   * A stored append counts (is shown) only once the replicas {@code minReplicasAck} asks for have
   * it; a duplicate is waited for too, as it is the retry of one that was not acknowledged in time.
   */
  private AppendResult replicated(AppendResult result, String what) {
    if (result.isStored()) redis.requireReplicas(what);
    return result;
  }

  private static AppendResult result(List<Object> answer) {
    long last = (Long) answer.get(1);
    return switch ((String) answer.get(0)) {
      case "ACCEPTED" -> AppendResult.accepted(last);
      case "DUPLICATE" -> AppendResult.duplicate(last);
      case "GAP" -> AppendResult.gap(last);
      case "FENCED" -> AppendResult.fenced(last);
      default -> throw new IllegalStateException("the append script answered " + answer);
    };
  }

  private static StreamEntry entry(String key, StreamMessage<String, String> message) {
    StreamPosition position = position(key, message.getId());
    String where = key + " " + message.getId();
    Map<String, String> body = message.getBody();
    String kind = body.get(MARK_KIND);
    if (kind == null) return new StreamEntry.Lines(RedisLineBatch.lines(where, position.seq(), body));
    if (position.index() < 1) throw new IllegalStateException("the stream entry " + where + " is a mark at a lines' position");
    String payload = body.getOrDefault(MARK_PAYLOAD, "");
    return switch (kind) {
      case "seal" -> new StreamEntry.Mark(position, LogMark.seal());
      case "status" -> new StreamEntry.Mark(position, LogMark.status(payload));
      default -> throw new IllegalStateException("the stream entry " + where + " is a mark of unknown kind '" + kind + "'");
    };
  }

  private static StreamPosition position(String key, String id) {
    int dash = id.indexOf('-');
    try {
      return new StreamPosition(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the stream " + key + " has an entry id that is not seq-index: " + id, e);
    }
  }
}
