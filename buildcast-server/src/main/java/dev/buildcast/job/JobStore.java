package dev.buildcast.job;

import java.util.List;
import java.util.Optional;

/**
 * Where job metadata lives. The single-node implementation writes one small JSON file per job;
 * a cluster one may use a shared store, with the same contract.
 *
 * <p>Threading: safe for concurrent use; a save of one job never tears another's.
 */
public interface JobStore {

  /** Stores the record, replacing any earlier one of the same id, atomically: a reader sees the old or the new, never a mix. */
  void save(JobRecord job);

  Optional<JobRecord> find(String jobId);

  /** Every stored job, in no particular order. */
  List<JobRecord> all();

  /** Removes a job's record; no-op when absent. */
  void delete(String jobId);
}
