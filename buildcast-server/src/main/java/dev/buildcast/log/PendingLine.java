package dev.buildcast.log;

import java.nio.charset.StandardCharsets;

/**
 * A normalized line that has no seq yet: one held back while a log is over its limit, or about
 * to be appended.
 *
 * @param timestampMillis when it was appended, epoch milliseconds
 * @param level what kind of line it is
 * @param text the text as {@link LineNormalizer} made it
 */
public record PendingLine(long timestampMillis, LogLevel level, String text) {

  /** The line as a log's text holds it: UTF-8 with its {@code \n}. */
  public byte[] bytes() {
    return bytes(text);
  }

  /** A line's text as a log's text holds it: UTF-8 with its {@code \n}. */
  public static byte[] bytes(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
