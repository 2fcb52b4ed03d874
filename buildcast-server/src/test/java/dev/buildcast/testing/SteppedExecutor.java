package dev.buildcast.testing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An executor that runs nothing until the test steps it: tasks queue in order, and {@link
 * #runNext} or {@link #runAll} run them on the test's thread. Lets a test see exactly which tasks
 * a component handed over, and when.
 *
 * <p>Locking: {@code this} guards the queue; tasks run outside it.
 */
public final class SteppedExecutor implements Executor {

  private final Queue<Runnable> queued = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    queued.add(task);
  }

  /** How many tasks wait to be run. */
  public synchronized int queuedCount() {
    return queued.size();
  }

  /** Runs the oldest queued task; false when there was none. */
  public boolean runNext() {
    Runnable task;
    synchronized (this) {
      task = queued.poll();
    }
    if (task == null) return false;
    task.run();
    return true;
  }

  /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
  public int runAll() {
    int ran = 0;
    while (runNext()) ran++;
    return ran;
  }
}
