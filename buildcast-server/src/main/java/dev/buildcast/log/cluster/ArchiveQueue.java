package dev.buildcast.log.cluster;

import dev.buildcast.EngineUnavailableException;
import java.time.Instant;
import java.util.List;

/**
 * The cluster's list of sealed logs on their way to the {@link LogArchive}, shared by every node:
 * <em>pending</em> (sealed, not archived yet; each with the time it may next be tried) and then
 * <em>archived</em> (each with the time its stream may be dropped from the engine). A job enters it
 * when its log is sealed, in the same step as the seal (the Redis adapter's seal script), so a
 * node dying after a seal loses no archive.
 *
 * <p>Thread-safe, and shared by nodes: every method is one atomic step in the engine, so two
 * nodes never both {@link #takeDue take} a job in one moment, and a node that lost a race changes
 * nothing ({@link #retryAt} and {@link #archived} act only on a job still pending).
 *
 * <p>Failures to reach the engine throw {@link EngineUnavailableException}.
 */
public interface ArchiveQueue {

  /**
   * Pending jobs whose time came by {@code now}, at most {@code max}; each is held until {@code
   * holdUntil} (no other node takes it before, and a node that dies with it leaves it to be taken
   * again then).
   */
  List<String> takeDue(Instant now, Instant holdUntil, int max);

  /** Tries a pending job again at {@code when}; no-op when it is no longer pending. */
  void retryAt(String jobId, Instant when);

  /**
   * Marks a pending job archived: its stream may be dropped from {@code dropStreamAt} on.
   *
   * @return false when it was no longer pending (another node archived it, or it was deleted)
   */
  boolean archived(String jobId, Instant dropStreamAt);

  /**
   * Drops the streams of archived jobs whose time came by {@code now} (at most {@code max}) from
   * the engine, keeping what fences writers (a dropped job's log stays sealed), and forgets them.
   *
   * @return the jobs whose stream was dropped
   */
  List<String> dropStreams(Instant now, int max);

  /** Forgets a job (its record was deleted: nothing of it is archived any more). */
  void forget(String jobId);

  /** How many sealed logs wait to be archived (for the {@code archive_pending} gauge). */
  long pendingCount();
}
