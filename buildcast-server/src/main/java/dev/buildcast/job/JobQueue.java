package dev.buildcast.job;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * The ids of jobs waiting to run, in the order they were queued, and the slots of this node: at
 * most {@code maxConcurrentJobs} claimed at once. It holds ids only; whoever claims one rebuilds
 * the run from the job's stored record. The single-node adapter is {@link LocalJobQueue}; a
 * cluster one shares the waiting ids between nodes with the same contract ({@code
 * JobQueueContract}).
 *
 * <p>Threading: safe for concurrent use. It starts no thread: {@link JobService}'s workers claim.
 */
public interface JobQueue {

  /**
   * Adds a job id at the end, and tells {@code announce} how many jobs are ahead of it for a slot
   * (0 when a slot is free for it now) before any claim can take it. why before: whoever claims the
   * job writes its "started" line, and in a cluster a node that claims it takes the job's log over;
   * the submitter's "queued" line written after that would take the log back and cut the runner
   * off. When {@code announce} throws, the id stays queued (claimable) and the exception propagates.
   *
   * @return how many jobs are ahead of it, as announced
   * @throws IllegalStateException when the id is already waiting or claimed ({@code announce} is
   *     not called)
   */
  int enqueue(String jobId, IntConsumer announce);

  /** {@link #enqueue(String, IntConsumer)} with nothing to announce. */
  default int enqueue(String jobId) {
    return enqueue(jobId, ahead -> {});
  }

  /**
   * Takes the oldest waiting id and a slot for it, when a slot is free.
   *
   * @return the id, now claimed; empty when no slot is free or nothing waits
   */
  Optional<String> claim();

  /** Gives back the slot of a claimed id (its run ended, or it turned out not to be runnable). */
  void release(String jobId);

  /** Removes a waiting id; {@code true} if it was waiting (a claimed one is not). */
  boolean remove(String jobId);

  /** Where a waiting id stands (1 = next to be claimed); empty when not waiting. */
  OptionalInt position(String jobId);
}
