package dev.buildcast.testing;

import dev.buildcast.time.Repeater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Repeater} that runs its tasks only when the test calls {@link #runDue()}. */
public final class ManualRepeater implements Repeater {

  private record Task(Duration interval, Runnable task, boolean[] cancelled) {}

  private final List<Task> tasks = new ArrayList<>();

  @Override
  public synchronized Repeating repeat(Duration interval, Runnable task) {
    Task added = new Task(interval, task, new boolean[1]);
    tasks.add(added);
    return () -> {
      synchronized (this) {
        added.cancelled()[0] = true;
      }
    };
  }

  /** Runs every task not cancelled once, as if its interval had passed. */
  public void runDue() {
    List<Task> due;
    synchronized (this) {
      due = tasks.stream().filter(task -> !task.cancelled()[0]).toList();
    }
    due.forEach(task -> task.task().run());
  }

  /** The intervals of the tasks still repeating. */
  public synchronized List<Duration> intervals() {
    return tasks.stream().filter(task -> !task.cancelled()[0]).map(Task::interval).toList();
  }
}
