package dev.buildcast.log.cluster;

import dev.buildcast.EngineUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that keeps a node's {@link MirrorFeed} going: it calls {@link MirrorFeed#pollOnce}
 * round after round until closed. While the engine cannot answer it pauses between rounds, {@value
 * #FIRST_BACKOFF_MILLIS} ms doubling up to {@value #MAX_BACKOFF_MILLIS} ms, and starts again from
 * the shortest pause after a round that worked. An entry the feed cannot read or apply is the
 * feed's business (it fails that job's mirror alone, or reads again from the mirror's end); any
 * other failure is logged and paused like an unreachable engine, so nothing makes the loop spin.
 *
 * <p>Threading: one platform thread of its own, named {@code mirror-feed}; {@link #close()} may
 * be called from any thread, and interrupts a wait or pause under way.
 */
public final class MirrorFeedLoop implements AutoCloseable {

  static final long FIRST_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 5_000;
  /** How long one round waits for entries; a watch or unwatch ends it earlier. */
  static final Duration ROUND = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(MirrorFeedLoop.class);

  /** How the loop waits before retrying: real time in production, stepped by tests. */
  @FunctionalInterface
  public interface Pause {

    void pause(Duration delay) throws InterruptedException;

    /** Sleeps for the delay. */
    static Pause sleeping() {
      return delay -> TimeUnit.MILLISECONDS.sleep(delay.toMillis());
    }
  }

  private final MirrorFeed feed;
  private final Pause pause;
  private final Thread thread;
  private volatile boolean closed;

  private MirrorFeedLoop(MirrorFeed feed, Pause pause) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.thread = new Thread(this::run, "mirror-feed");
    thread.setDaemon(true);
  }

  /** Starts the loop over {@code feed}, pausing with {@code pause} while the engine is down. */
  public static MirrorFeedLoop start(MirrorFeed feed, Pause pause) {
    MirrorFeedLoop loop = new MirrorFeedLoop(feed, pause);
    loop.thread.start();
    return loop;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(FIRST_BACKOFF_MILLIS);
    while (!closed) {
      try {
        feed.pollOnce(ROUND);
        backoff = Duration.ofMillis(FIRST_BACKOFF_MILLIS);
      } catch (InterruptedException e) {
        return; // only close() interrupts this thread
      } catch (RuntimeException e) {
        if (closed) return;
        if (e instanceof EngineUnavailableException) {
          LOG.warn("mirror feed: the log engine did not answer, next try in {} ms: {}", backoff.toMillis(), e.getMessage());
        } else {
          LOG.error("mirror feed: a round failed, next try in {} ms", backoff.toMillis(), e);
        }
        try {
          pause.pause(backoff);
        } catch (InterruptedException stop) {
          return;
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.toMillis() > MAX_BACKOFF_MILLIS) backoff = Duration.ofMillis(MAX_BACKOFF_MILLIS);
      }
    }
  }

  /** Whether the loop's thread still runs. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /**
   * Stops the loop and waits for its thread to end.
   *
   * @throws IllegalStateException when the thread did not end within {@code patience}
   */
  public void close(Duration patience) throws InterruptedException {
    closed = true;
    thread.interrupt();
    if (!thread.join(patience)) throw new IllegalStateException("the mirror feed's thread did not stop within " + patience);
  }

  /** Stops the loop, waiting up to 30 s for its thread. */
  @Override
  public void close() {
    try {
      close(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
