package dev.buildcast.socketio.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timer on a clock the test moves: {@link #advance} runs, on the test's thread and in order of
 * their due time, the one-shot tasks that fall due. Only {@code schedule(Runnable, …)} is
 * supported, which is all the engine's timers use. Other threads (a server's) may schedule and
 * cancel meanwhile; a task runs without the timer's lock held.
 */
final class ManualTimer extends AbstractExecutorService implements ScheduledExecutorService {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final List<Task> tasks = new ArrayList<>();

  long nanoTime() {
    return nanos.get();
  }

  /** Moves the clock on by {@code millis}, running each task that falls due at its time. */
  void advance(long millis) {
    long until = nanos.get() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      Task next;
      synchronized (tasks) {
        next = tasks.stream().filter(t -> !t.cancelled && t.dueNanos <= until).min(Comparator.comparingLong(t -> t.dueNanos)).orElse(null);
        if (next == null) break;
        tasks.remove(next);
        nanos.set(Math.max(nanos.get(), next.dueNanos));
      }
      next.task.run();
    }
    nanos.set(until);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    synchronized (tasks) {
      Task task = new Task(command, nanos.get() + unit.toNanos(delay));
      tasks.add(task);
      return task;
    }
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable task;
    final long dueNanos;
    volatile boolean cancelled;

    Task(Runnable task, long dueNanos) {
      this.task = task;
      this.dueNanos = dueNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nanos.get(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (tasks) {
        cancelled = true;
        return tasks.remove(this);
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      synchronized (tasks) {
        return cancelled || !tasks.contains(this);
      }
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
