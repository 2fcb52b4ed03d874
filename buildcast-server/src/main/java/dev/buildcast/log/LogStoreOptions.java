package dev.buildcast.log;

import java.time.Clock;
import java.util.Objects;

/**
 * How a {@link SegmentedLogStore} keeps logs: one place for the choices that used to hide in the
 * choice of a constructor (above all whether data is forced to disk).
 *
 * @param clock stamps appended lines
 * @param limit how much of each job's log is kept
 * @param forcing whether and how often written logs are forced to disk; always stated
 */
public record LogStoreOptions(Clock clock, LogLimit limit, LogForcing forcing) {

  public LogStoreOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(limit, "limit (LogLimit.NONE for no limit)");
    Objects.requireNonNull(forcing, "forcing (LogForcing.never() or LogForcing.every(...))");
  }

  /** No limit, never forced: for tests and throw-away data. */
  public static LogStoreOptions unforced(Clock clock) {
    return new LogStoreOptions(clock, LogLimit.NONE, LogForcing.never());
  }

  public LogStoreOptions withLimit(LogLimit newLimit) {
    return new LogStoreOptions(clock, newLimit, forcing);
  }
}
