package dev.buildcast.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * In-memory FIFO job queue with bounded concurrency; each running job gets its own virtual thread.
 *
 * <p>Concurrency: {@code this} guards {@link #waiting} and {@link #runningCount}. Work runs outside
 * the lock.
 */
public final class LocalJobQueue implements JobQueue {

  private final int maxConcurrent;
  private final ExecutorService runners =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("buildcast-job-", 0).factory());
  private final Deque<Entry> waiting = new ArrayDeque<>();
  private int runningCount;
  private boolean closed;

  public LocalJobQueue(int maxConcurrent) {
    if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrentJobs must be at least 1, got " + maxConcurrent);
    this.maxConcurrent = maxConcurrent;
  }

  @Override
  public int enqueue(String jobId, Runnable work) {
    Entry entry = new Entry(jobId, work);
    synchronized (this) {
      if (closed) throw new IllegalStateException("the job queue is closed");
      if (runningCount < maxConcurrent && waiting.isEmpty()) {
        startLocked(entry);
        return 0;
      }
      waiting.addLast(entry);
      return waiting.size();
    }
  }

  @Override
  public synchronized boolean remove(String jobId) {
    for (Iterator<Entry> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next().jobId.equals(jobId)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized OptionalInt position(String jobId) {
    int i = 1;
    for (Entry e : waiting) {
      if (e.jobId.equals(jobId)) return OptionalInt.of(i);
      i++;
    }
    return OptionalInt.empty();
  }

  private void startLocked(Entry entry) {
    runningCount++;
    runners.execute(() -> runThenStartNext(entry));
  }

  private void runThenStartNext(Entry entry) {
    try {
      entry.work.run();
    } finally {
      synchronized (this) {
        runningCount--;
        if (!closed && !waiting.isEmpty()) startLocked(waiting.removeFirst());
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      waiting.clear();
    }
    runners.shutdownNow();
    try {
      // why: interrupted jobs still write their last line and state; the stores close after this
      runners.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Entry(String jobId, Runnable work) {}
}
