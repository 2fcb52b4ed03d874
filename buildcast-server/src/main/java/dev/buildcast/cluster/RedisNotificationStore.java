package dev.buildcast.cluster;

import dev.buildcast.job.JobFiles;
import dev.buildcast.notify.NotificationStore;
import dev.buildcast.notify.PendingDelivery;
import dev.buildcast.storage.PendingDeliveryJson;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NotificationStore} of a cluster: the pending deliveries of every node in Redis, and
 * which node sends each.
 *
 * <ul>
 *   <li>{@code bc:{<jobId>}:notify}, a hash per job, under the job's hash tag: {@code d:<deliveryId>}
 *       (the delivery's JSON, {@link PendingDeliveryJson}), {@code s:<deliveryId>} ({@code waiting}
 *       or {@code due}) and, once due, {@code h:<deliveryId>}: its sender, {@code <nodeId>
 *       <token>}, the token being the value of that node's liveness key {@code bc:node:<nodeId>}
 *       ({@link RedisNodeLease}) in the life of the node that sends it. {@link RedisJobStore#delete}
 *       deletes the hash with the job.
 *   <li>{@code bc:notify}, a set: the ids of the jobs that have a hash, for {@link #all()}.
 * </ul>
 *
 * <p>Who sends: {@link #markDue} is one script that turns a waiting delivery due and names this
 * node's life its sender only while it is still waiting, so of the nodes that hear a job's end
 * exactly one sends each delivery. {@link #takeOverDue} is one script per job that names this
 * node's life the sender of each due delivery whose sender's liveness key is gone or holds another
 * token (that node died, was cut off for a lease, or is a later life of it), so exactly one live
 * node takes over its retries, with the same delivery id.
 *
 * <p>A record that cannot be read back is set aside as {@code bad:<deliveryId>} (logged), not thrown.
 * Every method throws {@link dev.buildcast.EngineUnavailableException} when Redis cannot be reached.
 *
 * <p>Threading: safe for concurrent use; it holds no state of its own.
 */
public final class RedisNotificationStore implements NotificationStore {

  private static final Logger log = LoggerFactory.getLogger(RedisNotificationStore.class);

  static final String JOBS_WITH_DELIVERIES = "bc:notify";

  // KEYS: the job's hash, bc:notify. ARGV: delivery id, JSON, waiting|due, job id.
  private static final RedisScript SAVE = new RedisScript("""
      redis.call('HSET', KEYS[1], 'd:' .. ARGV[1], ARGV[2], 's:' .. ARGV[1], ARGV[3])
      redis.call('SADD', KEYS[2], ARGV[4])
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: the job's hash. ARGV: delivery id, JSON, sender. 1 = made due here, 0 = not waiting (any more).
  private static final RedisScript MARK_DUE = new RedisScript("""
      if redis.call('HGET', KEYS[1], 's:' .. ARGV[1]) ~= 'waiting' then return 0 end
      redis.call('HSET', KEYS[1], 'd:' .. ARGV[1], ARGV[2], 's:' .. ARGV[1], 'due', 'h:' .. ARGV[1], ARGV[3])
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: the job's hash, bc:notify. ARGV: delivery id, job id.
  private static final RedisScript REMOVE = new RedisScript("""
      redis.call('HDEL', KEYS[1], 'd:' .. ARGV[1], 's:' .. ARGV[1], 'h:' .. ARGV[1])
      if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: the job's hash. ARGV: delivery id, why. Keeps the unreadable record as bad:<id>, for the operator.
  private static final RedisScript SET_ASIDE = new RedisScript("""
      local rec = redis.call('HGET', KEYS[1], 'd:' .. ARGV[1])
      if rec then redis.call('HSET', KEYS[1], 'bad:' .. ARGV[1], ARGV[2] .. ': ' .. rec) end
      redis.call('HDEL', KEYS[1], 'd:' .. ARGV[1], 's:' .. ARGV[1], 'h:' .. ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  // KEYS: the job's hash, bc:notify. ARGV: this node's sender value, job id. Answers the JSON of each due delivery taken over.
  // why the liveness key's value and not only its existence: a node restarted since has the key again, with another token
  private static final RedisScript TAKE_OVER = new RedisScript("""
      local taken = {}
      local fields = redis.call('HGETALL', KEYS[1])
      if #fields == 0 then
        redis.call('SREM', KEYS[2], ARGV[2])
        return taken
      end
      for i = 1, #fields, 2 do
        if string.sub(fields[i], 1, 2) == 's:' and fields[i + 1] == 'due' then
          local id = string.sub(fields[i], 3)
          local sender = redis.call('HGET', KEYS[1], 'h:' .. id)
          local alive = false
          if sender == ARGV[1] then
            alive = true
          elseif sender then
            local space = string.find(sender, ' ', 1, true)
            if space and redis.call('GET', 'bc:node:' .. string.sub(sender, 1, space - 1)) == string.sub(sender, space + 1) then alive = true end
          end
          if not alive then
            local rec = redis.call('HGET', KEYS[1], 'd:' .. id)
            if rec then
              redis.call('HSET', KEYS[1], 'h:' .. id, ARGV[1])
              table.insert(taken, rec)
            end
          end
        end
      end
      return taken
      """, ScriptOutputType.MULTI);

  private final RedisEngine redis;
  private final String sender;

  /** @param liveness this node's liveness, started: its id and token name this node's life as a sender */
  public RedisNotificationStore(RedisEngine redis, RedisNodeLease liveness) {
    this.redis = redis;
    this.sender = liveness.nodeId() + " " + liveness.token();
  }

  static String notifyKey(String jobId) {
    // why the job's hash tag: every key of a job shares it (RedisJobStore.jobKey)
    return "bc:{" + jobId + "}:notify";
  }

  @Override
  public void save(PendingDelivery d) {
    redis.call("recording notification delivery " + d.id() + " of job " + d.jobId(),
        r -> SAVE.<Long>run(r, new String[] {notifyKey(d.jobId()), JOBS_WITH_DELIVERIES}, d.id(), json(d), stateOf(d), d.jobId()));
  }

  @Override
  public boolean markDue(PendingDelivery due) {
    if (!due.jobEnded()) throw new IllegalArgumentException("delivery " + due.id() + " is not due");
    Long made = redis.call("marking notification delivery " + due.id() + " of job " + due.jobId() + " due",
        r -> MARK_DUE.<Long>run(r, new String[] {notifyKey(due.jobId())}, due.id(), json(due), sender));
    return Long.valueOf(1).equals(made);
  }

  @Override
  public List<PendingDelivery> forJob(String jobId) {
    if (!JobFiles.isValidId(jobId)) return List.of();
    Map<String, String> fields = redis.call("reading the notification deliveries of job " + jobId, r -> r.hgetall(notifyKey(jobId)));
    List<PendingDelivery> found = new ArrayList<>();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!field.getKey().startsWith("d:")) continue;
      read(jobId, field.getKey().substring(2), field.getValue()).ifPresent(found::add);
    }
    return found;
  }

  @Override
  public List<PendingDelivery> all() {
    Set<String> jobs = redis.call("listing the jobs with notification deliveries", r -> r.smembers(JOBS_WITH_DELIVERIES));
    List<PendingDelivery> found = new ArrayList<>();
    for (String jobId : jobs) found.addAll(forJob(jobId));
    return found;
  }

  @Override
  public void remove(PendingDelivery d) {
    redis.call("removing notification delivery " + d.id() + " of job " + d.jobId(),
        r -> REMOVE.<Long>run(r, new String[] {notifyKey(d.jobId()), JOBS_WITH_DELIVERIES}, d.id(), d.jobId()));
  }

  @Override
  public List<PendingDelivery> takeOverDue() {
    Set<String> jobs = redis.call("listing the jobs with notification deliveries", r -> r.smembers(JOBS_WITH_DELIVERIES));
    List<PendingDelivery> taken = new ArrayList<>();
    for (String jobId : jobs) {
      if (!JobFiles.isValidId(jobId)) continue;
      List<Object> records = redis.call("taking over the notification deliveries of job " + jobId,
          r -> TAKE_OVER.<List<Object>>run(r, new String[] {notifyKey(jobId), JOBS_WITH_DELIVERIES}, sender, jobId));
      for (Object rec : records) {
        String text = rec instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(rec);
        try {
          taken.add(PendingDeliveryJson.read(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          // why only logged: forJob sets it aside when the outbox reads the job's deliveries next
          log.warn("{} - a notification delivery taken over is unreadable ({}); skipped", jobId, e.getMessage());
        }
      }
    }
    return taken;
  }

  @Override
  public boolean isShared() {
    return true;
  }

  private Optional<PendingDelivery> read(String jobId, String deliveryId, String json) {
    String why;
    try {
      PendingDelivery d = PendingDeliveryJson.read(json.getBytes(StandardCharsets.UTF_8));
      if (d.id().equals(deliveryId) && d.jobId().equals(jobId)) return Optional.of(d);
      why = "it names another delivery than its field";
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    String reason = why;
    log.warn("{} - notification delivery {} in {} is unreadable ({}); dropped, kept as bad:{}", jobId, deliveryId, notifyKey(jobId), reason,
        deliveryId);
    redis.call("setting aside notification delivery " + deliveryId + " of job " + jobId,
        r -> SET_ASIDE.<Long>run(r, new String[] {notifyKey(jobId)}, deliveryId, reason));
    return Optional.empty();
  }

  private static String json(PendingDelivery d) {
    return new String(PendingDeliveryJson.write(d), StandardCharsets.UTF_8);
  }

  private static String stateOf(PendingDelivery d) {
    return d.jobEnded() ? "due" : "waiting";
  }
}
