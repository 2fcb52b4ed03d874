package dev.buildcast.job;

/**
 * Decides when queued jobs start: at most a configured number run at once, the others wait in
 * submission order. The single-node implementation is {@link LocalJobQueue}; a cluster one shares
 * the queue between nodes with the same contract.
 */
public interface JobQueue extends AutoCloseable {

  /**
   * Adds a job. {@code work} runs (on a thread the queue owns) once a slot is free.
   *
   * @return how many jobs wait before this one; 0 when it starts at once
   */
  int enqueue(String jobId, Runnable work);

  /** Removes a job that has not started yet; {@code true} if it was waiting. */
  boolean remove(String jobId);

  /** Where a waiting job stands (1 = next to start); empty when not waiting. */
  java.util.OptionalInt position(String jobId);

  /** Stops starting jobs and interrupts the running ones. */
  @Override
  void close();
}
