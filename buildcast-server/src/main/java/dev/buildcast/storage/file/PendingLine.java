package dev.buildcast.storage.file;

import dev.buildcast.log.LogLevel;
import java.nio.charset.StandardCharsets;

/**
 * A normalized line that has no seq yet: one held in the tail of a log over its limit, or about to
 * be appended.
 */
record PendingLine(long timestampMillis, LogLevel level, String text) {

  /** The line as stored in {@code detailed.log}: UTF-8 with its {@code \n}. */
  byte[] bytes() {
    return bytes(text);
  }

  /** A line's text as stored in {@code detailed.log}: UTF-8 with its {@code \n}. */
  static byte[] bytes(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
