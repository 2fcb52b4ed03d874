package dev.buildcast.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * In-memory FIFO {@link JobQueue} of one node, with {@code maxConcurrentJobs} slots. What it
 * holds is rebuilt from the job store at start-up ({@link JobService#recover()}), so it needs no
 * durability of its own.
 *
 * <p>Concurrency: {@code this} guards {@link #waiting} and {@link #claimed}.
 */
public final class LocalJobQueue implements JobQueue {

  private final int maxConcurrent;
  private final Deque<String> waiting = new ArrayDeque<>();
  private final Set<String> claimed = new HashSet<>();

  public LocalJobQueue(int maxConcurrent) {
    if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrentJobs must be at least 1, got " + maxConcurrent);
    this.maxConcurrent = maxConcurrent;
  }

  @Override
  public synchronized int enqueue(String jobId, IntConsumer announce) {
    if (claimed.contains(jobId) || waiting.contains(jobId)) throw new IllegalStateException("job " + jobId + " is already queued");
    waiting.addLast(jobId);
    // why count the waiting ones too: ids queued but not claimed yet take the free slots first
    int ahead = Math.max(0, waiting.size() + claimed.size() - maxConcurrent);
    // why under the lock: a claim waits for it, so the announcement comes before the job is taken
    announce.accept(ahead);
    return ahead;
  }

  @Override
  public synchronized Optional<String> claim() {
    if (claimed.size() >= maxConcurrent || waiting.isEmpty()) return Optional.empty();
    String jobId = waiting.removeFirst();
    claimed.add(jobId);
    return Optional.of(jobId);
  }

  @Override
  public synchronized void release(String jobId) {
    claimed.remove(jobId);
  }

  @Override
  public synchronized boolean remove(String jobId) {
    for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next().equals(jobId)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized OptionalInt position(String jobId) {
    int i = 1;
    for (String id : waiting) {
      if (id.equals(jobId)) return OptionalInt.of(i);
      i++;
    }
    return OptionalInt.empty();
  }
}
