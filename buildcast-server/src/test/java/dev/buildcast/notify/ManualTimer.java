package dev.buildcast.notify;

import dev.buildcast.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link RetryTimer} on a {@link ManualClock}: a task is due at the clock's time plus its delay
 * and runs, on the test's thread, only when the test moves the clock past it. Tasks a running
 * task schedules run in the same call when they are due by then.
 *
 * <p>Locking: {@code this} guards the list; tasks run outside it.
 */
final class ManualTimer implements RetryTimer {

  private record Task(Instant due, long order, Runnable task) {}

  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long scheduled;

  ManualTimer(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void schedule(Runnable task, Duration delay) {
    tasks.add(new Task(clock.instant().plus(delay), scheduled++, task));
  }

  /** Moves the clock by {@code d} and runs every task due by then, earliest first. */
  void advance(Duration d) {
    clock.advance(d);
    for (Optional<Task> next = nextDue(); next.isPresent(); next = nextDue()) next.get().task().run();
  }

  /** When the earliest waiting task is due. */
  synchronized Optional<Instant> nextDueAt() {
    return tasks.stream().map(Task::due).min(Comparator.naturalOrder());
  }

  synchronized int waiting() {
    return tasks.size();
  }

  private synchronized Optional<Task> nextDue() {
    Optional<Task> next = tasks.stream().filter(t -> !t.due().isAfter(clock.instant()))
        .min(Comparator.comparing(Task::due).thenComparingLong(Task::order));
    next.ifPresent(tasks::remove);
    return next;
  }
}
