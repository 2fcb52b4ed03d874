package dev.buildcast.storage.file;

import dev.buildcast.log.LogLevel;
import java.nio.ByteBuffer;

/**
 * The record format of {@code detailed.idx}: {@value #RECORD_BYTES} bytes per line, big-endian.
 *
 * <pre>
 *   0..7   end offset: the byte offset in detailed.log just past this line's '\n'
 *          (the line starts at the previous record's end offset, or 0 for seq 1)
 *   8..15  timestamp, epoch milliseconds
 *   16     level code ({@link LogLevel#code()})
 * </pre>
 *
 * Storing the end rather than the start lets a reader size every line, including the last, from
 * the index alone, and lets repair tell a fully written line from a torn one.
 */
final class LineIndex {

  static final int RECORD_BYTES = 17;

  private LineIndex() {}

  /** One decoded record. */
  record Entry(long endOffset, long timestampMillis, byte levelCode) {

    boolean hasValidLevel() {
      return levelCode >= 0 && levelCode < LogLevel.values().length;
    }

    LogLevel level() {
      return LogLevel.fromCode(levelCode);
    }
  }

  static void put(ByteBuffer buffer, long endOffset, long timestampMillis, LogLevel level) {
    buffer.putLong(endOffset).putLong(timestampMillis).put(level.code());
  }

  static Entry get(ByteBuffer buffer) {
    return new Entry(buffer.getLong(), buffer.getLong(), buffer.get());
  }
}
