package dev.buildcast.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Runs a task again and again, a fixed delay apart: the periodic work of the server (a log
 * store's force to disk, lease renewals and the lease sweep), injected so that a test runs the
 * task when it chooses instead of waiting for time to pass.
 */
@FunctionalInterface
public interface Repeater {

  /**
   * Runs {@code task} every {@code interval}, the first time one interval from now, until the
   * returned handle is cancelled. A run that throws does not stop later runs.
   */
  Repeating repeat(Duration interval, Runnable task);

  /** A task being repeated. */
  @FunctionalInterface
  interface Repeating {

    /** Stops later runs; a run under way finishes. Idempotent. */
    void cancel();
  }

  /** Repeats on {@code executor}'s threads (shut down by its owner). */
  static Repeater on(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (interval, task) -> {
      long millis = Math.max(1, interval.toMillis());
      ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          // why: a scheduled task that throws is never run again; the next force must still run
          LoggerFactory.getLogger(Repeater.class).warn("a repeated task failed", e);
        }
      }, millis, millis, TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    };
  }
}
