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

  /**
   * How many bytes {@link #bytes(String)} gives for {@code text}, counted without encoding it. why:
   * the shipper and the cluster's owned log count the bytes of every line they handle; encoding each
   * line only to count it allocated two copies per line. A surrogate without its pair counts as one
   * byte, as the encoder replaces it with {@code ?}.
   */
  public static int byteCount(String text) {
    int count = 1; // the \n
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        count++;
      } else if (c < 0x800) {
        count += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
        count += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        count++;
      } else {
        count += 3;
      }
    }
    return count;
  }
}
