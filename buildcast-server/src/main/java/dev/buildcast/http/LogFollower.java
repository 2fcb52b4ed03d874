package dev.buildcast.http;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogSubscriber;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands a job's log batches from the {@link dev.buildcast.log.LogBroadcaster} to the one request
 * thread that writes them to an HTTP response.
 *
 * <p>The broadcaster must never block (it may hold the job's lock), so {@link #offer} only puts the
 * batch into a small bounded handoff and refuses when it is full; the broadcaster then moves this
 * follower to catch-up from disk and waits for {@link #whenWritable}, which fires once the writer
 * has taken a batch. Memory is thus bounded by {@link #CAPACITY} batches whatever the client's
 * speed, and no line is lost or sent twice (the broadcaster's cursor guarantees that).
 *
 * <p>Guarded by {@link #lock}; the writable callback runs outside it.
 */
final class LogFollower implements LogSubscriber {

  /** Batches waiting for the writer; a few cover the time one write takes. */
  static final int CAPACITY = 4;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<LogBatch> handoff = new ArrayDeque<>(CAPACITY);
  private Runnable writable;
  private boolean ended;
  private Exception failure;
  private boolean stopped;

  @Override
  public boolean offer(LogBatch batch) {
    lock.lock();
    try {
      // why true when stopped: the batch is dropped as delivered to a client that is gone; refusing
      // would only make the broadcaster wait for a writer that will never take again
      if (stopped) return true;
      if (handoff.size() >= CAPACITY) return false;
      handoff.add(batch);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void whenWritable(Runnable callback) {
    lock.lock();
    try {
      if (handoff.size() >= CAPACITY && !stopped) {
        writable = callback;
        return;
      }
    } finally {
      lock.unlock();
    }
    callback.run();
  }

  @Override
  public void caughtUpToEnd() {
    lock.lock();
    try {
      ended = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void failed(Exception cause) {
    lock.lock();
    try {
      failure = cause;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The client went away: the writer stops waiting and takes nothing more. */
  void stop() {
    Runnable pending;
    lock.lock();
    try {
      stopped = true;
      pending = writable;
      writable = null;
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (pending != null) pending.run();
  }

  /** Whether the client went away (rather than the log ending). */
  boolean stopped() {
    lock.lock();
    try {
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next batch. Empty once the log ended and every batch was taken, or the follower
   * was stopped.
   *
   * @throws LogReadFailedException when the broadcaster could not read the log
   */
  Optional<LogBatch> next() throws InterruptedException {
    Runnable wake;
    LogBatch batch;
    lock.lock();
    try {
      while (handoff.isEmpty() && !ended && failure == null && !stopped) changed.await();
      if (stopped) return Optional.empty();
      if (handoff.isEmpty()) {
        if (failure != null) throw new LogReadFailedException(failure);
        return Optional.empty();
      }
      batch = handoff.poll();
      wake = writable;
      writable = null;
    } finally {
      lock.unlock();
    }
    if (wake != null) wake.run();
    return Optional.of(batch);
  }

  /** The log could not be read while following it. */
  static final class LogReadFailedException extends RuntimeException {
    LogReadFailedException(Exception cause) {
      super("reading the log failed", cause);
    }
  }
}
