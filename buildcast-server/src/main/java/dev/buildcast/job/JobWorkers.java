package dev.buildcast.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run jobs: whenever the {@link JobQueue} has a free slot and a waiting id, one
 * claims it and runs it (each on its own virtual thread), then gives the slot back and looks for
 * the next.
 *
 * <p>Concurrency: {@code this} guards {@link #closed}; claiming and giving slots back happen under
 * it so that no run starts after {@link #close()}.
 */
final class JobWorkers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  private final JobQueue queue;
  private final Consumer<String> run;
  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("buildcast-job-", 0).factory());
  private boolean closed;
  /** Ids whose run ended and whose slot was not given back yet. */
  private final Set<String> ended = ConcurrentHashMap.newKeySet();

  JobWorkers(JobQueue queue, Consumer<String> run) {
    this.queue = queue;
    this.run = run;
  }

  /** Starts as many waiting jobs as there are free slots. */
  synchronized void wake() {
    releaseEnded();
    if (closed) return;
    for (Optional<String> next = queue.claim(); next.isPresent(); next = queue.claim()) {
      String jobId = next.get();
      threads.execute(() -> runThenWake(jobId));
    }
  }

  private void runThenWake(String jobId) {
    try {
      run.accept(jobId);
    } catch (RuntimeException e) {
      log.error("{} - running the job failed", jobId, e);
    } finally {
      ended.add(jobId);
      try {
        wake();
      } catch (RuntimeException e) {
        // why caught: the queue may be out of reach (a node of a cluster cut from Redis); the slot
        // is given back by the next wake, which the cluster's node asks for every fifth of its lease
        log.warn("{} - giving the job's slot back, or looking for the next job, failed; will retry: {}", jobId, e.getMessage());
      }
    }
  }

  /** Gives back the slots of the runs that ended; an id whose release fails stays for the next call. */
  private void releaseEnded() {
    for (String jobId : List.copyOf(ended)) {
      queue.release(jobId);
      ended.remove(jobId);
    }
  }

  /**
   * Starts no more jobs. why apart from {@link #close()}: the caller calls it before it stops the
   * running ones, or a stopped run giving its slot back would claim the next waiting job, take it
   * off a queue that outlives this node, and not run it.
   */
  synchronized void stopClaiming() {
    closed = true;
  }

  /** Starts no more jobs and waits (up to 10 s) for the running ones, which the caller has told to stop. */
  @Override
  public void close() {
    stopClaiming();
    threads.shutdown();
    try {
      // why wait: stopped jobs still write their last line and state; the stores close after this
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) log.warn("jobs still running 10 s after they were told to stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
