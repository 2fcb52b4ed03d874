package dev.buildcast.socketio.engine;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An executor for WebSocket writers that runs nothing until the test steps it, so a test sees
 * exactly when a writer was handed over and what it wrote.
 *
 * <p>Locking: {@code this} guards the queue; tasks run outside it, on the test's thread.
 */
final class SteppedWriters implements Executor {
  private final Queue<Runnable> queued = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    queued.add(task);
  }

  synchronized int queuedCount() {
    return queued.size();
  }

  /** Runs queued tasks, including those they queue, until none is left. */
  void runAll() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = queued.poll();
      }
      if (task == null) return;
      task.run();
    }
  }
}
