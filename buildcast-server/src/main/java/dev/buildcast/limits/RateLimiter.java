package dev.buildcast.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allows each key (a client address) at most {@code max} actions in any {@code window}: a sliding
 * window of the times of its last {@code max} actions, so memory is bounded by {@code max} per
 * active key, and keys whose actions have all left the window are forgotten.
 *
 * <p>Thread-safe. Time comes from the {@link Clock}, so tests move it by hand.
 */
public final class RateLimiter {

  /** Past this many keys, a call first forgets every key with no action in the window. */
  private static final int PRUNE_ABOVE_KEYS = 10_000;

  private final String actions;
  private final int max;
  private final Duration window;
  private final Clock clock;
  private final Runnable onRefused;
  private final Map<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();

  /**
   * @param actions what is counted, in the plural, for messages ("jobs started")
   * @param max how many actions one key may take in a window
   * @param window the window's length
   */
  public RateLimiter(String actions, int max, Duration window, Clock clock) {
    this(actions, max, window, clock, () -> {});
  }

  /** @param onRefused told of every refusal, e.g. to count them */
  public RateLimiter(String actions, int max, Duration window, Clock clock, Runnable onRefused) {
    if (max < 1 || window.isNegative() || window.isZero()) throw new IllegalArgumentException("max >= 1 and a positive window");
    this.actions = actions;
    this.max = max;
    this.window = window;
    this.clock = clock;
    this.onRefused = onRefused;
  }

  /**
   * Counts one action of {@code key}.
   *
   * @throws LimitExceededException when {@code key} already took {@code max} actions in the window;
   *     the action is then not counted, and the message says how long to wait
   */
  public void acquire(String key) {
    long now = clock.millis();
    long windowMillis = window.toMillis();
    if (recent.size() > PRUNE_ABOVE_KEYS) prune(now - windowMillis);
    long[] waitMillis = {0};
    recent.compute(key, (k, times) -> {
      ArrayDeque<Long> kept = times == null ? new ArrayDeque<>(Math.min(max, 64)) : times;
      while (!kept.isEmpty() && kept.peekFirst() <= now - windowMillis) kept.pollFirst();
      if (kept.size() >= max) {
        waitMillis[0] = kept.peekFirst() + windowMillis - now;
        return kept;
      }
      kept.addLast(now);
      return kept;
    });
    if (waitMillis[0] > 0) {
      onRefused.run();
      long seconds = Math.max(1, (waitMillis[0] + 999) / 1000);
      throw new LimitExceededException("Too many " + actions + " from your address: at most " + max + " per "
          + human(window) + ". Try again in " + seconds + " s.", Duration.ofSeconds(seconds));
    }
  }

  private void prune(long oldestKept) {
    // why through computeIfPresent: a key's deque is only ever touched under the map's lock for it
    for (String key : recent.keySet()) {
      recent.computeIfPresent(key, (k, times) -> {
        Long last = times.peekLast();
        return last == null || last <= oldestKept ? null : times;
      });
    }
  }

  /** Keys with actions in the window, for tests and monitoring. */
  int trackedKeys() {
    return recent.size();
  }

  private static String human(Duration d) {
    if (d.equals(Duration.ofMinutes(1))) return "minute";
    if (d.toSeconds() % 60 == 0) return d.toMinutes() + " minutes";
    return d.toSeconds() + " s";
  }
}
