package dev.buildcast.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Streams a job's detailed log as UTF-8 chunks for sending whole (the socket layer's {@code
 * file-content} events): each chunk is well-formed UTF-8 of at most {@code maxBytes} bytes (see
 * {@link #forEach} for a damaged file), and no chunk ends inside a character: a multi-byte
 * sequence, and thus a surrogate pair, always stays whole. Memory stays at one buffer of {@code
 * maxBytes} whatever the log's size.
 *
 * <p>why bytes, not Strings: the stored text is UTF-8 already, and a sender that writes it into
 * JSON as it is skips decoding it into chars and encoding them back, the larger part of a
 * transfer's CPU (bench/README.md, issue 17).
 */
public final class DetailedLogChunks {

  /** The usual chunk bound: 64 KiB. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  private static final int LONGEST_UTF8_CHAR = 4;

  private DetailedLogChunks() {}

  /** Takes one chunk: {@code utf8[0, length)}, in an array that is reused for the next chunk. */
  @FunctionalInterface
  public interface ChunkConsumer {
    void accept(byte[] utf8, int length);
  }

  /**
   * Hands {@code consumer} the log's text, from {@link JobLog#openText()}, in order, as chunks of
   * at most {@code maxBytes} bytes; nothing for an empty log. Stored text that is not well-formed
   * UTF-8 (a damaged file; the server writes none) is passed on with each bad byte replaced by
   * U+FFFD, which can make that one chunk longer than {@code maxBytes}.
   *
   * @param maxBytes at least 4, so any character fits
   */
  public static void forEach(JobLog log, int maxBytes, ChunkConsumer consumer) {
    try (InputStream text = log.openText()) {
      forEach(text, maxBytes, consumer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of job " + log.jobId(), e);
    }
  }

  /** {@link #forEach(JobLog, int, ChunkConsumer)} over any text; the caller closes it. */
  static void forEach(InputStream text, int maxBytes, ChunkConsumer consumer) throws IOException {
    if (maxBytes < LONGEST_UTF8_CHAR) throw new IllegalArgumentException("maxBytes < 4");
    byte[] buffer = new byte[maxBytes];
    int filled = 0;
    while (true) {
      int read = text.read(buffer, filled, maxBytes - filled);
      if (read < 0) break;
      filled += read;
      if (filled < maxBytes) continue;
      int whole = wholeCharsEnd(buffer, filled);
      handOver(buffer, whole, consumer);
      System.arraycopy(buffer, whole, buffer, 0, filled - whole);
      filled -= whole;
    }
    if (filled > 0) handOver(buffer, filled, consumer);
  }

  private static void handOver(byte[] buffer, int length, ChunkConsumer consumer) {
    if (Utf8.isWellFormed(buffer, 0, length)) {
      consumer.accept(buffer, length);
    } else {
      byte[] repaired = new String(buffer, 0, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      consumer.accept(repaired, repaired.length);
    }
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
