package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the v4 heartbeat: a ping every {@code pingInterval}; when no pong arrives
 * within {@code pingTimeout} of a ping, the session is closed ("ping timeout"). The next ping is
 * scheduled from the pong, as the reference server does, so a slow client is never pinged twice
 * before it answered.
 */
final class Heartbeat {
  private final ScheduledExecutorService timer;
  private final long intervalMillis;
  private final long timeoutMillis;
  private final Runnable sendPing;
  private final Runnable onTimeout;
  private ScheduledFuture<?> next;
  private boolean stopped;
  /**
   * When the session is dead if no pong came: the next ping's due time plus pingTimeout, or
   * pingTimeout after the ping actually went out if the timer ran late.
   */
  private long deadlineNanos;

  Heartbeat(ScheduledExecutorService timer, Duration interval, Duration timeout, Runnable sendPing, Runnable onTimeout) {
    this.timer = timer;
    this.intervalMillis = interval.toMillis();
    this.timeoutMillis = timeout.toMillis();
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

  /** Whether the pong deadline has passed (whatever the timer thread has done so far). */
  synchronized boolean expired() {
    return !stopped && System.nanoTime() - deadlineNanos >= 0;
  }

  private void resetDeadline() {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis + timeoutMillis);
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
      long answerBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      if (answerBy - deadlineNanos > 0) deadlineNanos = answerBy;
      schedule(this::timeout, timeoutMillis);
    }
    sendPing.run();
  }

  private void timeout() {
    synchronized (this) {
      if (stopped) return;
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
