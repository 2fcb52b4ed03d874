package dev.buildcast.log;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The tail of a log over its {@link LogLimit}, held back by its {@link JobLogSegments}: lines
 * without a seq, of which at least the latest {@link #tailBytes()} of text (and always the last
 * line) are kept; older ones may be dropped. {@link JobLogWriter} appends what it keeps when the
 * log is sealed.
 *
 * <p>Not thread-safe: used under the writer's lock.
 */
public interface HeldBackLines {

  /** The log's extent when the limit was reached (its last line says so). */
  LogExtent head();

  /** How much of the latest text is kept at least: the tail size the lines were held under. */
  long tailBytes();

  /** Lines held back so far, including those no longer kept. */
  long totalLines();

  /** Their text bytes (as stored, {@link PendingLine#bytes()}), including those no longer kept. */
  long totalBytes();

  /** Lines still kept, a suffix of those held back. */
  long keptLines();

  /** Their text bytes (as stored). */
  long keptBytes();

  /** Holds {@code lines} back, after those held so far. @throws java.io.UncheckedIOException */
  void add(List<PendingLine> lines);

  /** Tells {@code storedBytes} the stored size of each kept line, oldest first. */
  void forEachKeptSize(LongConsumer storedBytes);

  /**
   * Hands the kept lines after the first {@code skip}, oldest first, in batches of at most {@code
   * batchLines}.
   */
  void forEachKept(long skip, int batchLines, Consumer<List<PendingLine>> batches);

  /** Forces the held lines to durable storage. @throws java.io.UncheckedIOException */
  void force();

  /** Releases what is held open; the lines stay for the next open. */
  void close();

  /** Forgets the held lines: their kept part is in the log now. @throws java.io.UncheckedIOException */
  void delete();
}
