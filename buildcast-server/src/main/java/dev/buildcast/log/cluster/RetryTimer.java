package dev.buildcast.log.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task once after a delay: how a shipper waits before retrying an engine that failed. */
@FunctionalInterface
public interface RetryTimer {

  void schedule(Runnable task, Duration delay);

  /** A timer on {@code executor}, which the caller owns and stops. */
  static RetryTimer on(ScheduledExecutorService executor) {
    return (task, delay) -> executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }
}
