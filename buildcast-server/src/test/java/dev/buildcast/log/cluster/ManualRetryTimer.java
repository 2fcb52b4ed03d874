package dev.buildcast.log.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A {@link RetryTimer} whose tasks run only when the test says; it records every delay asked. */
final class ManualRetryTimer implements RetryTimer {

  final List<Duration> delays = new ArrayList<>();
  private final Deque<Runnable> due = new ArrayDeque<>();

  @Override
  public synchronized void schedule(Runnable task, Duration delay) {
    delays.add(delay);
    due.add(task);
  }

  /** Runs the oldest scheduled task as if its delay had passed; false when none is scheduled. */
  boolean runNext() {
    Runnable task;
    synchronized (this) {
      task = due.poll();
    }
    if (task == null) return false;
    task.run();
    return true;
  }
}
