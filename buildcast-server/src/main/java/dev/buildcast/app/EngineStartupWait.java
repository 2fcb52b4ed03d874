package dev.buildcast.app;

import dev.buildcast.EngineUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries to reach the cluster's engine at start-up for a while before the node gives up. why: a
 * node started together with its Redis (one compose file, one boot), or while Redis restarts or
 * drops a connection under load, would otherwise exit at once over what a few seconds cure. A
 * Redis that stays unreachable still ends the start with its clear message, {@link #DEFAULT_WAIT}
 * later; a Redis that answers with settings that could lose data is refused at once (that is no
 * {@link EngineUnavailableException}).
 */
final class EngineStartupWait {

  private static final Logger log = LoggerFactory.getLogger(EngineStartupWait.class);

  /** How long a starting node keeps trying to reach Redis. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

  /** Waits between attempts; tests step it with a clock of their own. */
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final Clock clock;
  private final Pause pause;
  private final Duration wait;

  EngineStartupWait(Clock clock, Pause pause, Duration wait) {
    this.clock = clock;
    this.pause = pause;
    this.wait = wait;
  }

  /** The real one: {@link #DEFAULT_WAIT} of the system clock. */
  static EngineStartupWait standard() {
    return new EngineStartupWait(Clock.systemUTC(), duration -> Thread.sleep(duration), DEFAULT_WAIT);
  }

  /**
   * Answers what {@code attempt} answers, calling it again (after pauses growing from 0.1 s to 2 s)
   * while it throws {@link EngineUnavailableException} and the wait has not passed.
   *
   * @throws EngineUnavailableException the last attempt's, once the wait has passed (or the thread was interrupted)
   */
  <T> T connect(Supplier<T> attempt) {
    Instant deadline = clock.instant().plus(wait);
    Duration next = FIRST_PAUSE;
    boolean told = false;
    while (true) {
      try {
        return attempt.get();
      } catch (EngineUnavailableException e) {
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) throw e;
        if (!told) {
          log.warn("{}; trying again for up to {} s", e.getMessage(), Duration.between(now, deadline).toSeconds());
          told = true;
        }
        Duration left = Duration.between(now, deadline);
        try {
          pause.pause(next.compareTo(left) < 0 ? next : left);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        next = next.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? next.multipliedBy(2) : LONGEST_PAUSE;
      }
    }
  }
}
