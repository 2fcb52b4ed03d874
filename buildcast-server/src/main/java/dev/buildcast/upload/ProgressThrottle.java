package dev.buildcast.upload;

import java.time.Clock;
import java.time.Duration;

/**
 * Decides which progress figures are worth telling a client: at most one per interval, and the
 * final one (every byte in) always, exactly once. Not thread-safe: used under its upload's lock.
 */
final class ProgressThrottle {

  /** About ten a second: smooth for a progress bar, negligible on the wire. */
  static final Duration INTERVAL = Duration.ofMillis(100);

  private final Clock clock;
  private long lastReportMillis = Long.MIN_VALUE;
  private boolean finalReported;

  ProgressThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Whether to report {@code bytes} of {@code size} now. */
  boolean shouldReport(long bytes, long size) {
    if (bytes >= size) {
      if (finalReported) return false;
      finalReported = true;
      return true;
    }
    long now = clock.millis();
    if (lastReportMillis != Long.MIN_VALUE && now - lastReportMillis < INTERVAL.toMillis()) return false;
    lastReportMillis = now;
    return true;
  }
}
