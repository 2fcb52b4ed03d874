package dev.buildcast.socketio;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The server's timers (connect timeouts, acknowledgement timeouts). One scheduler thread only fires
 * them; what a timeout triggers in user code (a failed ack future's continuations) runs on a virtual
 * thread, so a slow continuation cannot delay the timers of other clients.
 */
final class Timers implements AutoCloseable {
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();

  Timers() {
    scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "socketio-timers");
              t.setDaemon(true);
              return t;
            });
    // why: every connect and every acked emit schedules a timer that is usually cancelled; without
    // this, cancelled timers stay in the queue until their delay passes
    scheduler.setRemoveOnCancelPolicy(true);
  }

  ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs user-facing work off the scheduler thread. */
  void callback(Runnable task) {
    callbacks.execute(task);
  }

  /** Timers still scheduled (for tests of leak-freedom). */
  int pending() {
    return scheduler.getQueue().size();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    callbacks.shutdown();
  }
}
