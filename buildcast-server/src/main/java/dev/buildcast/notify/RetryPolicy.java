package dev.buildcast.notify;

import java.time.Duration;

/**
 * How often a delivery is tried and how long it waits in between: the wait after the n-th failed
 * attempt is {@code firstDelay × 2^(n-1)} (doubling, the exponent capped at 16).
 *
 * @param attempts tries in all, at least 1
 * @param firstDelay the wait after the first failure
 */
record RetryPolicy(int attempts, Duration firstDelay) {

  RetryPolicy {
    if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    if (firstDelay.isNegative()) throw new IllegalArgumentException("negative retry delay " + firstDelay);
  }

  /** One attempt, no retry (email, as before). */
  static RetryPolicy once() {
    return new RetryPolicy(1, Duration.ZERO);
  }

  /** Whether another attempt follows {@code failedAttempts} failed ones. */
  boolean allowsAnotherAfter(int failedAttempts) {
    return failedAttempts < attempts;
  }

  /** The wait before the next attempt, after {@code failedAttempts} (at least 1) failed ones. */
  Duration delayAfter(int failedAttempts) {
    return firstDelay.multipliedBy(1L << Math.min(Math.max(failedAttempts, 1) - 1, 16));
  }
}
