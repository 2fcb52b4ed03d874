package dev.buildcast.generator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import dev.buildcast.log.LineNormalizer;

/**
 * Reads a process's output and cuts it into lines: UTF-8 decoded with invalid bytes replaced by
 * U+FFFD, split at {@code \n}, {@code \r\n} or a lone {@code \r}, and cut into pieces of at most
 * {@code maxLineChars} (the pieces after the first start with {@link #CONTINUED_MARKER}) so one
 * endless line (binary junk, a progress bar without newlines) cannot
 * grow memory.
 *
 * <p>The lines of each chunk read from the stream are emitted inside one call of the chunk scope
 * (a log's {@code batch}), so they can be written together; the blocking read itself happens
 * outside it. A chunk is whatever one read returns: from a quiet process, one line.
 *
 * <p>Threading: one pump reads one stream on the calling thread until end of stream.
 */
public final class OutputPump {

  /** Starts each piece of a cut line after the first; the same marker the log uses for its own splits. */
  public static final String CONTINUED_MARKER = LineNormalizer.CONTINUATION_MARKER;

  private final int maxLineChars;
  private final Consumer<String> lines;
  private final Consumer<Runnable> chunkScope;
  private final StringBuilder current = new StringBuilder();
  private boolean lastWasCarriageReturn;

  /** A pump emitting each line on its own, with no chunk scope. */
  public OutputPump(int maxLineChars, Consumer<String> lines) {
    this(maxLineChars, lines, Runnable::run);
  }

  /**
   * @param chunkScope runs the emitting of one chunk's lines (given as a {@code Runnable})
   */
  public OutputPump(int maxLineChars, Consumer<String> lines, Consumer<Runnable> chunkScope) {
    if (maxLineChars < 16) throw new IllegalArgumentException("maxLineChars too small: " + maxLineChars);
    this.maxLineChars = maxLineChars;
    this.lines = lines;
    this.chunkScope = chunkScope;
  }

  /** Reads {@code in} to its end, emitting every line, the last one even without a terminator. */
  public void pump(InputStream in) throws IOException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    byte[] raw = new byte[16 * 1024];
    ByteBuffer bytes = ByteBuffer.allocate(raw.length + 8);
    CharBuffer chars = CharBuffer.allocate(raw.length + 8);
    int n;
    while ((n = in.read(raw)) != -1) {
      int read = n;
      chunkScope.accept(() -> {
        bytes.put(raw, 0, read).flip();
        decode(decoder, bytes, chars, false);
        bytes.compact();
      });
    }
    chunkScope.accept(() -> {
      bytes.flip();
      decode(decoder, bytes, chars, true);
      chars.clear();
      decoder.flush(chars);
      accept(chars.flip());
      if (!current.isEmpty()) emit(current.toString());
      current.setLength(0);
    });
  }

  private void decode(CharsetDecoder decoder, ByteBuffer bytes, CharBuffer chars, boolean end) {
    CoderResult result;
    do {
      chars.clear();
      result = decoder.decode(bytes, chars, end);
      accept(chars.flip());
    } while (result.isOverflow());
  }

  private void accept(CharBuffer chars) {
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (c == '\n') {
        if (!lastWasCarriageReturn) endLine();
        lastWasCarriageReturn = false;
      } else if (c == '\r') {
        endLine();
        lastWasCarriageReturn = true;
      } else {
        lastWasCarriageReturn = false;
        // why: cut before a high surrogate that would not leave room for its pair
        if (current.length() >= maxLineChars
            || (current.length() == maxLineChars - 1 && Character.isHighSurrogate(c))) {
          emit(current.toString());
          current.setLength(0);
          current.append(CONTINUED_MARKER);
        }
        current.append(c);
      }
    }
  }

  private void endLine() {
    emit(current.toString());
    current.setLength(0);
  }

  private void emit(String line) {
    lines.accept(line);
  }
}
