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
import dev.buildcast.log.LogSink;

/**
 * Reads a process's output and cuts it into lines: UTF-8 decoded with invalid bytes replaced by
 * U+FFFD, split at {@code \n}, {@code \r\n} or a lone {@code \r}, and cut into pieces of at most
 * {@code maxLineChars} (the pieces after the first start with {@link #CONTINUED_MARKER}) so one
 * endless line (binary junk, a progress bar without newlines) cannot
 * grow memory. A line is masked before it is cut, so a secret across the cut is masked whole.
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
  private final LogSink secrets;
  private final StringBuilder current = new StringBuilder();
  private boolean lastWasCarriageReturn;

  /** A pump emitting each line on its own, with no chunk scope. */
  public OutputPump(int maxLineChars, Consumer<String> lines) {
    this(maxLineChars, lines, Runnable::run);
  }

  /** A pump with a chunk scope that knows no secrets. */
  public OutputPump(int maxLineChars, Consumer<String> lines, Consumer<Runnable> chunkScope) {
    this(maxLineChars, lines, chunkScope, NO_SECRETS);
  }

  /**
   * @param chunkScope runs the emitting of one chunk's lines (given as a {@code Runnable})
   * @param secrets masks a long line before it is cut (see {@link #cutLongLine})
   */
  public OutputPump(int maxLineChars, Consumer<String> lines, Consumer<Runnable> chunkScope, LogSink secrets) {
    if (maxLineChars < 16) throw new IllegalArgumentException("maxLineChars too small: " + maxLineChars);
    this.maxLineChars = maxLineChars;
    this.lines = lines;
    this.chunkScope = chunkScope;
    this.secrets = secrets;
  }

  private static final LogSink NO_SECRETS = new LogSink() {
    @Override
    public void append(dev.buildcast.log.LogLevel level, String text) {}

    @Override
    public void progress(int percentage) {}

    @Override
    public void mask(String secret) {}
  };

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
      if (!current.isEmpty()) endLine();
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
        current.append(c);
        if (current.length() > maxLineChars + lookahead()) cutLongLine(lookahead());
      }
    }
  }

  /**
   * Room kept past the cut so that a secret starting before it is whole in the buffer when the
   * buffer is masked.
   */
  private int lookahead() {
    return Math.max(0, secrets.longestSecretChars() - 1);
  }

  /**
   * Emits the first piece of a line too long to keep, leaving the rest (after the continuation
   * marker) to grow. why mask first: the sink masks each piece on its own, and a secret cut in two
   * would be stored as two unmasked halves. The buffer holds at least the longest secret past the
   * cut, so a secret starting before the cut is whole in it and masked here.
   *
   * @param keep how many characters past the cut must stay (0 at the end of the line)
   */
  private void cutLongLine(int keep) {
    String text = secrets.masked(current.toString());
    current.setLength(0);
    while (text.length() > maxLineChars + keep) {
      int cut = maxLineChars;
      if (Character.isHighSurrogate(text.charAt(cut - 1))) cut--; // why: never split a pair
      emit(text.substring(0, cut));
      text = CONTINUED_MARKER + text.substring(cut);
    }
    current.append(text);
  }

  private void endLine() {
    if (current.length() > maxLineChars) cutLongLine(0);
    emit(current.toString());
    current.setLength(0);
  }

  private void emit(String line) {
    lines.accept(line);
  }
}
