package dev.buildcast.testing;

import dev.buildcast.job.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Scheduler} that runs nothing by itself: the test runs every scheduled task once, on its
 * own thread, with {@link #runAll()} (usually after moving a {@link ManualClock}).
 */
public final class ManualScheduler implements Scheduler {

  private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

  @Override
  public Scheduled every(Duration period, Runnable task) {
    Runnable entry = task::run;
    tasks.add(entry);
    return () -> tasks.remove(entry);
  }

  /** Runs each task still scheduled once, in the order they were scheduled. */
  public void runAll() {
    tasks.forEach(Runnable::run);
  }

  /** How many tasks are scheduled. */
  public int scheduledCount() {
    return tasks.size();
  }
}
