package dev.buildcast.log;

/** Which lines of the detailed log a reader wants. */
public enum LogFilter {
  /** Only basic lines (every level but {@link LogLevel#DETAIL}). */
  BASIC,
  /** Every line. */
  ALL;

  public boolean accepts(LogLine line) {
    return this == ALL || line.level().isBasic();
  }
}
