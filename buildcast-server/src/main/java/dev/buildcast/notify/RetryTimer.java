package dev.buildcast.notify;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a wait: the one way the outbox waits for time to pass, so that tests drive
 * time with a manual timer instead of sleeping. The task must be short (it hands work over).
 */
@FunctionalInterface
interface RetryTimer {

  /** @throws RejectedExecutionException when the timer is stopping */
  void schedule(Runnable task, Duration delay);

  /** A timer on {@code executor}, which the caller owns and stops. */
  static RetryTimer on(ScheduledExecutorService executor) {
    return (task, delay) -> executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }
}
