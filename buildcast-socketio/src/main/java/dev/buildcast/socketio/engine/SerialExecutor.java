package dev.buildcast.socketio.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's listener calls one at a time, in submission order, on a shared executor
 * (virtual threads). Jetty I/O threads only enqueue; a slow listener delays its own session only.
 * A caller that is itself a virtual thread (Jetty reads on one when its pool has virtual threads,
 * as Buildcast's has) may run the call at once on its own thread with {@link #runHereOrExecute}.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  /** Set while a thread runs listener calls (see {@link #isRunningListeners}). */
  private static final ThreadLocal<Boolean> RUNNING_LISTENERS = new ThreadLocal<>();

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

  /**
   * Runs {@code task} on the calling thread when that is a virtual thread and no call of this
   * session is queued or running; else queues it like {@link #execute}. Calls queued meanwhile run
   * after it, on this thread, so the order holds. why: a round trip (event in, ack out) then costs
   * no thread switch; blocking in the listener only holds up this session's own reading, as it
   * already holds up its later calls, and a virtual thread may block.
   */
  void runHereOrExecute(Runnable task) {
    if (Thread.currentThread().isVirtual() && tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      tasks.add(task);
      drain();
      return;
    }
    execute(task);
  }

  /** Whether no call is queued and no thread is running this session's calls. */
  boolean isIdle() {
    return !scheduled.get() && tasks.isEmpty();
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

  /**
   * Whether the calling thread is running listener calls: a thread of its own (a virtual one, off
   * the I/O threads) on which an application answers a client, so a write may start right there.
   */
  static boolean isRunningListeners() {
    return RUNNING_LISTENERS.get() != null;
  }

  private void drain() {
    RUNNING_LISTENERS.set(Boolean.TRUE);
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (Throwable t) {
          LOG.warn("Engine.IO listener failed", t);
        }
      }
    } finally {
      RUNNING_LISTENERS.remove();
    }
    scheduled.set(false);
    // a task added between the last poll and the reset would otherwise wait for the next one
    schedule();
  }
}
