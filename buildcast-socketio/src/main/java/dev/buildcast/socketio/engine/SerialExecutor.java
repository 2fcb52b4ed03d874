package dev.buildcast.socketio.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's listener calls one at a time, in submission order, on a shared executor
 * (virtual threads). Jetty I/O threads only enqueue; a slow listener delays its own session only.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        pool.execute(this::drain);
      } catch (RuntimeException rejected) {
        // why: after server close the pool refuses work; dropping listener calls is then correct.
        scheduled.set(false);
        tasks.clear();
      }
    }
  }

  private void drain() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (Throwable t) {
        LOG.warn("Engine.IO listener failed", t);
      }
    }
    scheduled.set(false);
    // a task added between the last poll and the reset would otherwise wait for the next one
    schedule();
  }
}
