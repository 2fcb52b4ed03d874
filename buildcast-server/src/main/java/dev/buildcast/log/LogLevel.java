package dev.buildcast.log;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of line a log line is. Every line belongs to the detailed log; all levels but {@link
 * #DETAIL} also make up the basic log that users follow live.
 */
public enum LogLevel {
  /** Ordinary output of the generator: only in the detailed log. */
  DETAIL,
  /** {@code ::notice::TEXT}. */
  NOTICE,
  /** {@code ::warning::TEXT}. */
  WARNING,
  /** {@code ::error::TEXT}. */
  ERROR,
  /** {@code ::group::TITLE}: a step starts. */
  GROUP,
  /** {@code ::endgroup::}: the current step ends (its text is empty). */
  ENDGROUP,
  /** Lines Buildcast writes itself about the job's life (queued, started, finished...). */
  SYSTEM;

  private static final LogLevel[] BY_CODE = values();

  /** why kept: the name goes with every line sent to a watcher, and lower-casing it each time showed in profiles. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  public boolean isBasic() {
    return this != DETAIL;
  }

  /** The name on the wire and in the API: lower case. */
  public String wireName() {
    return wireName;
  }

  /** A stable one-byte code for storage; the ordinal, which must therefore never be reordered. */
  public byte code() {
    return (byte) ordinal();
  }

  public static LogLevel fromCode(byte code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown log level code " + code);
    }
    return BY_CODE[code];
  }

  public static Optional<LogLevel> fromWireName(String name) {
    for (LogLevel level : BY_CODE) {
      if (level.wireName().equals(name)) return Optional.of(level);
    }
    return Optional.empty();
  }
}
