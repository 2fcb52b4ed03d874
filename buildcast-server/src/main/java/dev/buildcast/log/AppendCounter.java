package dev.buildcast.log;

/**
 * Told of the lines appended to any job's log, for metrics: of each append, or of a batch's appends
 * together when the batch ends. Must return quickly: it runs under the log's lock.
 */
@FunctionalInterface
public interface AppendCounter {

  AppendCounter NONE = (lines, bytes) -> {};

  /** {@code lines} lines of {@code bytes} bytes of text were appended (kept or held back by the limit). */
  void appended(int lines, long bytes);
}
