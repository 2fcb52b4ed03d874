package dev.buildcast.log;

/**
 * Where jobs' detailed logs live. The single-node implementation keeps files under the data
 * folder; a cluster one may keep them elsewhere, with the same contract.
 */
public interface LogStore {

  /**
   * Opens the log of a job, creating it when new. An existing log is repaired first: a torn last
   * line (the server was killed mid-write) is dropped and the index rebuilt, so every seq that was
   * ever sent names the same line as before. While a log is not sealed, every handle opened on it
   * shares its writer and listeners.
   */
  JobLog open(String jobId);

  /** Deletes a job's log; no-op when there is none. Handles still open on it become unusable. */
  void delete(String jobId);
}
