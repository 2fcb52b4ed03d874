package dev.buildcast.log;

import java.util.List;

/**
 * Hears what happens to a {@link JobLog} after it was registered with {@link
 * JobLog#addListener}: appended lines and the seal.
 *
 * <p>Called on the appending (or sealing) thread while the log's writer lock is held, so calls
 * arrive in seq order and the seal after the last line. Implementations must return quickly and
 * must never append to or seal the log they listen to.
 */
@FunctionalInterface
public interface JobLogListener {

  /** Lines just written, in seq order, continuing the lines of the previous call. */
  void appended(List<LogLine> lines);

  /** The log was sealed; {@code lastSeq} is its final last seq. */
  default void sealed(long lastSeq) {}

  /**
   * The log can no longer be followed here (a node's mirror whose stream holds an entry it cannot
   * read): neither lines nor the seal will come. What was told before stays true and readable.
   * {@code cause} says what went wrong, for the watchers.
   */
  default void failed(RuntimeException cause) {}
}
