package dev.buildcast.log;

import dev.buildcast.time.Repeater;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how often a log store forces what it wrote to the disk. Lines reach the page cache
 * before {@code append} returns either way, which survives the server being killed; forcing
 * makes them survive a power loss too.
 */
public sealed interface LogForcing {

  /** How often a durable store forces written logs to disk unless told otherwise. */
  Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  /** Never forces, not even when sealing: for tests and throw-away data. */
  static LogForcing never() {
    return Never.INSTANCE;
  }

  /**
   * Forces logs written to since the last force every {@code interval}, run by {@code repeater}
   * off the append path, and a log's files when it is sealed or closed.
   */
  static LogForcing every(Duration interval, Repeater repeater) {
    return new Periodic(interval, repeater);
  }

  /** Whether sealing and closing force a log's files to disk. */
  boolean durable();

  /** See {@link LogForcing#never()}. */
  enum Never implements LogForcing {
    INSTANCE;

    @Override
    public boolean durable() {
      return false;
    }
  }

  /**
   * See {@link LogForcing#every}.
   *
   * @param interval how long written lines may wait for their force; at least 1 ms
   * @param repeater runs the periodic force
   */
  record Periodic(Duration interval, Repeater repeater) implements LogForcing {

    public Periodic {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(repeater, "repeater");
      if (interval.toMillis() < 1) throw new IllegalArgumentException("the force interval must be at least 1 ms, got " + interval);
    }

    @Override
    public boolean durable() {
      return true;
    }
  }
}
