package dev.buildcast.log;

/** Told of every append to any job's log, for metrics. Must return quickly: it runs under the log's lock. */
@FunctionalInterface
public interface AppendCounter {

  AppendCounter NONE = (lines, bytes) -> {};

  /** {@code lines} lines of {@code bytes} bytes of text were appended (kept or held back by the limit). */
  void appended(int lines, long bytes);
}
