package dev.buildcast.log.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the bytes of sealed logs a node keeps ({@code cluster.mirrorCache}): when the node's logs
 * hold more, the least recently read sealed logs whose archive exists are deleted until they fit.
 * A log open on the node (watched, read, or run here) is never deleted, nor one that is not sealed
 * or not archived (it could not be rebuilt); a deleted one comes back from the archive the next
 * time it is opened ({@link ClusterLogStore}).
 *
 * <p>Threading: {@link #evictOnce} is called by one thread at a time (the wiring's archiving
 * thread, or a test). The decision to delete one log is the log store's, under its lock ({@link
 * Logs#evict}), so an open and a delete never cross.
 */
public final class MirrorCache {

  private static final Logger LOG = LoggerFactory.getLogger(MirrorCache.class);

  /** The logs this node keeps in its storage, whatever opened them. */
  @FunctionalInterface
  public interface LocalLogs {
    /** Every job log the node's storage holds now. */
    List<LocalLog> list();
  }

  /**
   * One job's log in the node's storage.
   *
   * @param bytes what its files take
   * @param changed when its files last changed (a fallback for when it was last read)
   */
  public record LocalLog(String jobId, long bytes, Instant changed, boolean sealed) {}

  /** The log store's part: when a log was last opened, and deleting one that nobody holds. */
  public interface Logs {
    Optional<Instant> lastOpened(String jobId);

    /** Deletes the job's local log when it is sealed and not open on this node; false otherwise. */
    boolean evict(String jobId);
  }

  private final LocalLogs local;
  private final Logs logs;
  private final LogArchive archive;
  private final long maxBytes;

  public MirrorCache(LocalLogs local, Logs logs, LogArchive archive, long maxBytes) {
    this.local = Objects.requireNonNull(local, "local");
    this.logs = Objects.requireNonNull(logs, "logs");
    this.archive = Objects.requireNonNull(archive, "archive");
    if (maxBytes < 1) throw new IllegalArgumentException("the mirror cache needs at least one byte, got " + maxBytes);
    this.maxBytes = maxBytes;
  }

  /**
   * Deletes least recently read sealed, archived logs while the node keeps more than the bound.
   *
   * @return how many logs were deleted
   */
  public int evictOnce() {
    List<LocalLog> all = local.list();
    long total = 0;
    for (LocalLog log : all) total += log.bytes();
    if (total <= maxBytes) return 0;
    List<LocalLog> sealed = new ArrayList<>();
    for (LocalLog log : all) if (log.sealed()) sealed.add(log);
    sealed.sort(Comparator.comparing(this::lastRead));
    int evicted = 0;
    for (LocalLog log : sealed) {
      if (total <= maxBytes) break;
      // why ask the archive first, outside the store's lock: a log with no archive could not come back
      if (!archive.isArchived(log.jobId()) || !logs.evict(log.jobId())) continue;
      total -= log.bytes();
      evicted++;
    }
    if (evicted > 0) LOG.info("Mirror cache: deleted {} sealed log(s) read least recently; {} bytes kept (bound {})", evicted, total, maxBytes);
    return evicted;
  }

  private Instant lastRead(LocalLog log) {
    return logs.lastOpened(log.jobId()).orElse(log.changed());
  }
}
