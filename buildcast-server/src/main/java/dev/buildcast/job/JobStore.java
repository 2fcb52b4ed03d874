package dev.buildcast.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where job records live, and the truth about every job: its state, its version, its owner and
 * its lease. Every change after a job's creation is a compare-and-set on the record's version
 * ({@link #update}), so two writers (a node and a late copy of itself, a cancel and a finish, two
 * nodes failing an expired lease) never both win. The single-node adapter writes one small JSON
 * file per job; a cluster one may use a shared store, with the same contract
 * ({@code JobStoreContract} pins it for every adapter).
 *
 * <p>Threading: safe for concurrent use; a write of one job never tears another's, and a reader
 * sees the old record or the new one, never a mix.
 */
public interface JobStore {

  /**
   * Stores the record of a new job (or one imported as it is), replacing any of the same id,
   * without looking at versions. Every later change goes through {@link #update}.
   */
  void save(JobRecord job);

  /**
   * Replaces the job's record with {@code next} if the stored record still has {@code
   * expectedVersion}; the stored record gets version {@code expectedVersion + 1}, whatever {@code
   * next.version()} says.
   *
   * @return the record as now stored; empty when the stored version differs (a stale write, refused
   *     and not stored) or the job has no record
   */
  Optional<JobRecord> update(long expectedVersion, JobRecord next);

  Optional<JobRecord> find(String jobId);

  /** Every stored job, in no particular order. */
  List<JobRecord> all();

  /**
   * The running jobs whose lease has passed by {@code now} ({@link JobRecord#leaseExpiredAt}), in
   * no particular order: what the lease sweep looks at, every few seconds on every node. A store
   * that keeps many finished jobs answers it from an index rather than reading them all.
   */
  default List<JobRecord> withExpiredLeases(Instant now) {
    return all().stream().filter(job -> job.leaseExpiredAt(now)).toList();
  }

  /** Removes a job's record; no-op when absent. */
  void delete(String jobId);
}
