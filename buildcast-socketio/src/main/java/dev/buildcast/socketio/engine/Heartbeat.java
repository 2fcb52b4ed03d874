package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server side of the v4 heartbeat: a ping every {@code pingInterval}; when no pong arrives
 * within {@code pingTimeout} of a ping, the session is closed ("ping timeout"). The next ping is
 * scheduled from the pong, as the reference server does, so a slow client is never pinged twice
 * before it answered.
 *
 * <p>A pong to another ping of the session (a probe of {@link ClientPace}, written before the
 * heartbeat's and so answered before it) also counts, as any pong does for the reference server:
 * the session is closed only once its client has answered no ping for {@code pingTimeout}. why: a
 * client that reads a backlog answers the probes in it one after the other; measured, the
 * 200-watcher flood's heartbeat closed sessions that had answered a probe 10–18 s before.
 */
final class Heartbeat {
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;
  private final long intervalMillis;
  private final long timeoutMillis;
  private final long timeoutNanos;
  private final Runnable sendPing;
  private final Runnable onTimeout;
  private ScheduledFuture<?> next;
  private boolean stopped;
  /**
   * When the session is dead if no pong came: the next ping's due time plus pingTimeout, or
   * pingTimeout after the ping actually went out if the timer ran late, or pingTimeout after another
   * ping's pong if that is later.
   */
  private long deadlineNanos;

  Heartbeat(ScheduledExecutorService timer, LongSupplier nanoClock, Duration interval, Duration timeout, Runnable sendPing, Runnable onTimeout) {
    this.timer = timer;
    this.nanoClock = nanoClock;
    this.intervalMillis = interval.toMillis();
    this.timeoutMillis = timeout.toMillis();
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.sendPing = sendPing;
    this.onTimeout = onTimeout;
  }

  synchronized void start() {
    resetDeadline();
    schedule(this::ping, intervalMillis);
  }

  /** A pong arrived: stop waiting for it and plan the next ping. */
  synchronized void onPong() {
    resetDeadline();
    schedule(this::ping, intervalMillis);
  }

  /** A pong answered another ping of the session: the client is alive and reading. */
  synchronized void onOtherPong() {
    extendDeadlineTo(nanoClock.getAsLong() + timeoutNanos);
  }

  /** Whether the pong deadline has passed (whatever the timer thread has done so far). */
  synchronized boolean expired() {
    return !stopped && nanoClock.getAsLong() - deadlineNanos >= 0;
  }

  private void extendDeadlineTo(long nanos) {
    if (nanos - deadlineNanos > 0) deadlineNanos = nanos;
  }

  private void resetDeadline() {
    deadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(intervalMillis) + timeoutNanos;
  }

  synchronized void stop() {
    stopped = true;
    if (next != null) next.cancel(false);
    next = null;
  }

  private void ping() {
    synchronized (this) {
      if (stopped) return;
      // a late timer must not shorten the client's time to answer: it gets pingTimeout from now
      extendDeadlineTo(nanoClock.getAsLong() + timeoutNanos);
      schedule(this::timeout, timeoutMillis);
    }
    sendPing.run();
  }

  private void timeout() {
    synchronized (this) {
      if (stopped) return;
      long left = deadlineNanos - nanoClock.getAsLong();
      if (left > 0) { // another pong came meanwhile: wait from it
        schedule(this::timeout, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
        return;
      }
    }
    onTimeout.run();
  }

  private void schedule(Runnable task, long delayMillis) {
    if (stopped) return;
    if (next != null) next.cancel(false);
    try {
      next = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      next = null; // server closed: its sessions are being closed too
    }
  }
}
