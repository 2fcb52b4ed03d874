package dev.buildcast.blob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a {@link BlobStore} can be used, for health checks, asked of the store at most once per
 * {@code maxAge}: a load balancer checks every node every few seconds, and each check must not
 * become a request to the object storage. The first call asks; later calls within {@code maxAge}
 * of the last answer get that answer. A call that finds another one asking gets the last answer
 * instead of waiting for a slow store.
 *
 * <p>Concurrency: {@code this} guards the fields; the store is asked outside the lock.
 */
public final class BlobProbe {

  private static final Logger log = LoggerFactory.getLogger(BlobProbe.class);

  private final BlobStore store;
  private final Clock clock;
  private final Duration maxAge;
  /** Until the first answer: not known to be down. */
  private boolean up = true;
  private Instant askedAt;
  private boolean asking;

  public BlobProbe(BlobStore store, Clock clock, Duration maxAge) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("the probe's interval must be positive, got " + maxAge);
    this.maxAge = maxAge;
  }

  /** Whether the store answered that it is usable, at most {@code maxAge} ago (asking it now when that is older). */
  public boolean isUp() {
    Instant now = clock.instant();
    synchronized (this) {
      if (asking || (askedAt != null && now.isBefore(askedAt.plus(maxAge)))) return up;
      asking = true;
    }
    boolean answer = ask();
    synchronized (this) {
      if (answer && !up) log.info("the blob store is usable again");
      up = answer;
      askedAt = now;
      asking = false;
    }
    return answer;
  }

  private boolean ask() {
    try {
      store.checkUsable();
      return true;
    } catch (RuntimeException e) {
      // why every failed probe is logged: at most one per maxAge, and it says why (the health answer does not)
      log.warn("the blob store cannot be used: {}", e.getMessage());
      return false;
    }
  }
}
