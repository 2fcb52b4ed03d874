package dev.buildcast.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.ObjIntConsumer;

/**
 * Streams a job's detailed log as text chunks for sending whole (the socket layer's {@code
 * file-content} events): each chunk's UTF-8 encoding is at most {@code maxBytes} bytes (so it is
 * also at most {@code maxBytes} chars), and no chunk ends inside a character: a multi-byte
 * sequence, and thus a surrogate pair, always stays whole. Memory stays at one buffer of {@code
 * maxBytes} whatever the log's size.
 */
public final class DetailedLogChunks {

  /** The usual chunk bound: 64 KiB. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  private static final int LONGEST_UTF8_CHAR = 4;

  private DetailedLogChunks() {}

  /**
   * Hands {@code consumer} the log's text, from {@link JobLog#openText()}, in order, as chunks of
   * at most {@code maxBytes} UTF-8 bytes, each with the number of bytes it was read from (its
   * UTF-8 length, as the log's text is valid UTF-8); nothing for an empty log. why the count: a
   * sender that reports how much it sent need not encode every chunk again to know.
   *
   * @param maxBytes at least 4, so any character fits
   */
  public static void forEach(JobLog log, int maxBytes, ObjIntConsumer<String> consumer) {
    if (maxBytes < LONGEST_UTF8_CHAR) throw new IllegalArgumentException("maxBytes < 4");
    byte[] buffer = new byte[maxBytes];
    int filled = 0;
    try (InputStream text = log.openText()) {
      while (true) {
        int read = text.read(buffer, filled, maxBytes - filled);
        if (read < 0) break;
        filled += read;
        if (filled < maxBytes) continue;
        int whole = wholeCharsEnd(buffer, filled);
        consumer.accept(new String(buffer, 0, whole, StandardCharsets.UTF_8), whole);
        System.arraycopy(buffer, whole, buffer, 0, filled - whole);
        filled -= whole;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of job " + log.jobId(), e);
    }
    if (filled > 0) consumer.accept(new String(buffer, 0, filled, StandardCharsets.UTF_8), filled);
  }

  /**
   * Where the last whole character in {@code bytes[0, length)} ends: before a trailing multi-byte
   * sequence that is cut short. Malformed bytes count as whole (they decode to U+FFFD).
   */
  static int wholeCharsEnd(byte[] bytes, int length) {
    int start = length - 1;
    int limit = Math.max(0, length - LONGEST_UTF8_CHAR);
    while (start > limit && (bytes[start] & 0xC0) == 0x80) start--;
    int lead = bytes[start] & 0xFF;
    int needed =
        lead >= 0xF0 && lead < 0xF8 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (lead >= 0x80 && lead < 0xC0) return length; // malformed: no lead byte in reach
    return start + needed > length ? start : length;
  }
}
