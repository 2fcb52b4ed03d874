package dev.buildcast.job;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs periodic work (lease renewals, the lease sweep). An interface so that tests run the work
 * when they choose, with a fake clock, instead of waiting for real time to pass.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} every {@code period}, the first time one period from now, until cancelled.
   * A task that throws is logged by the caller's task itself; the schedule must not stop.
   */
  Scheduled every(Duration period, Runnable task);

  /** A running schedule. */
  @FunctionalInterface
  interface Scheduled {
    /** Stops it; a run in progress finishes. */
    void cancel();
  }

  /** A scheduler on {@code executor}, which the caller owns. */
  static Scheduler on(ScheduledExecutorService executor) {
    return (period, task) -> {
      ScheduledFuture<?> future = executor.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    };
  }
}
