package dev.buildcast.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What one node saw of its Redis lately: whether its last command failed to reach it, and since
 * when it answers again. {@link RedisEngine} tells it the outcome of every command; the reaper and
 * the lease sweep ask {@link #hasAnsweredFor} before they judge other nodes dead by keys and leases
 * that nobody could renew while Redis was down (or hung, or restarting).
 *
 * <p>Threading: safe for concurrent use. {@link #answered()} is called after every command, so
 * its usual case (Redis was up already) reads one volatile field and takes no lock.
 */
final class EngineAvailability {

  private final LongSupplier nanoTime;
  private volatile boolean down;
  /** Guarded by {@code this}: whether Redis was ever unreachable, and the clock's reading when it answered again. */
  private boolean everDown;
  private long backAtNanos;

  /** @param nanoTime a monotonic clock in nanoseconds (tests step it) */
  EngineAvailability(LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** A command could not reach Redis (refused, timed out, or answered that it cannot serve now). */
  synchronized void failed() {
    down = true;
    everDown = true;
  }

  /** A command was answered: when Redis was down, it is back from now on. */
  void answered() {
    if (!down) return;
    synchronized (this) {
      if (!down) return;
      down = false;
      backAtNanos = nanoTime.getAsLong();
    }
  }

  /**
   * Whether Redis has answered without a failure for at least {@code span}: true when it never
   * failed; false while it is down and until {@code span} after it answered again (a failure in
   * that time starts the wait over).
   */
  synchronized boolean hasAnsweredFor(Duration span) {
    if (down) return false;
    return !everDown || nanoTime.getAsLong() - backAtNanos >= span.toNanos();
  }
}
