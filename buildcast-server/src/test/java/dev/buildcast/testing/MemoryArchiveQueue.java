package dev.buildcast.testing;

import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.ArchiveQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The archive queue in memory, for the archiver's tests: the same rules as the Redis one (a job
 * taken is held; retries and the archived mark act only on pending jobs), with {@link #sealed}
 * playing the seal script's part. Dropping a stream deletes it from the given engine. Locking:
 * {@code this} guards both maps.
 */
public final class MemoryArchiveQueue implements ArchiveQueue {

  private final AcceptedLines engine;
  private final Map<String, Instant> pending = new LinkedHashMap<>();
  private final Map<String, Instant> archived = new LinkedHashMap<>();

  public MemoryArchiveQueue(AcceptedLines engine) {
    this.engine = engine;
  }

  /** What the engine's seal does: the job's log waits to be archived, due at once. */
  public synchronized void sealed(String jobId) {
    pending.putIfAbsent(jobId, Instant.EPOCH);
  }

  public synchronized boolean isArchived(String jobId) {
    return archived.containsKey(jobId);
  }

  @Override
  public synchronized List<String> takeDue(Instant now, Instant holdUntil, int max) {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Instant> job : pending.entrySet()) {
      if (due.size() == max) break;
      if (!job.getValue().isAfter(now)) due.add(job.getKey());
    }
    for (String jobId : due) pending.put(jobId, holdUntil);
    return due;
  }

  @Override
  public synchronized void retryAt(String jobId, Instant when) {
    pending.computeIfPresent(jobId, (id, old) -> when);
  }

  @Override
  public synchronized boolean archived(String jobId, Instant dropStreamAt) {
    if (pending.remove(jobId) == null) return false;
    archived.put(jobId, dropStreamAt);
    return true;
  }

  @Override
  public synchronized List<String> dropStreams(Instant now, int max) {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Instant> job : archived.entrySet()) {
      if (due.size() == max) break;
      if (!job.getValue().isAfter(now)) due.add(job.getKey());
    }
    for (String jobId : due) {
      engine.delete(jobId);
      archived.remove(jobId);
    }
    return due;
  }

  @Override
  public synchronized void forget(String jobId) {
    pending.remove(jobId);
    archived.remove(jobId);
  }

  @Override
  public synchronized long pendingCount() {
    return pending.size();
  }
}
