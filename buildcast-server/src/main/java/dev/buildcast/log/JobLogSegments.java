package dev.buildcast.log;

import java.util.List;
import java.util.Optional;

/**
 * One job's log opened for appending, as an adapter of {@link LogSegments} stores it: the lines
 * (in seq order, with their text and the seqs of the basic ones), the lines held back while the
 * log is over its limit, and the seal. It decides nothing: {@link JobLogWriter} numbers the lines
 * and chooses what to append, hold back, cut or seal.
 *
 * <p>Not thread-safe for writing: one writer calls the writing methods, under its lock. {@link
 * #extent()} and {@link #reader()} may be used from any thread at any time.
 */
public interface JobLogSegments {

  /**
   * What is stored, whole: moves only after an append's lines are all written (text and index),
   * so a reader up to it never sees a torn line.
   */
  LogExtent extent();

  /** Reads the stored lines. */
  LogSegmentReader reader();

  /**
   * Stores {@code lines}, which continue {@link #extent()} without a gap, then moves the extent
   * past them. On failure none of them is stored and the extent stays.
   *
   * @param lines numbered lines, the first one's seq {@code extent().lines() + 1}
   * @param bytes each line's text as stored ({@link PendingLine#bytes()}), in the same order
   * @throws IllegalArgumentException when the seqs do not continue the log
   * @throws java.io.UncheckedIOException when writing failed
   */
  void append(List<LogLine> lines, List<byte[]> bytes);

  /** Drops the lines after {@code extent} (a prefix of the stored log, as it was once published). */
  void truncate(LogExtent extent);

  /**
   * Whether the log carried a seal that could not be trusted when it was opened (a crash mid-seal,
   * or text changed behind the seal): the job had ended, so the writer seals it again.
   */
  boolean wasSealed();

  /** The lines held back when the log was opened: present while it is over its limit. */
  Optional<HeldBackLines> heldBack();

  /**
   * Starts holding lines back: the log is over its limit at {@code head}.
   *
   * @param tailBytes how much of the latest held-back text must be kept at least
   */
  HeldBackLines startHoldingBack(long tailBytes, LogExtent head);

  /** Forces what was stored to durable storage. @throws java.io.UncheckedIOException on failure */
  void force();

  /**
   * Records the seal at the current extent and releases what the segments hold open; no more
   * appends. @param durable whether to force the seal (and what it covers) to durable storage
   */
  void seal(boolean durable);

  /** Releases what the segments hold open, forcing first when {@code durable}. Idempotent. */
  void close(boolean durable);
}
