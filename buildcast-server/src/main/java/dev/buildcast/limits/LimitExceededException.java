package dev.buildcast.limits;

import dev.buildcast.BuildcastException;
import java.time.Duration;

/** A client did something more often than allowed: {@code limit_exceeded}, HTTP 429. */
public final class LimitExceededException extends BuildcastException {

  private final Duration retryAfter;

  LimitExceededException(String message, Duration retryAfter) {
    super("limit_exceeded", message);
    this.retryAfter = retryAfter;
  }

  /** How long the client should wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
