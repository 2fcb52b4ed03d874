package dev.buildcast.generator;

import dev.buildcast.log.LogSink;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The path of a line that may be too long to keep whole, for {@link OutputPump}: takes the line's
 * bytes as they arrive (without its terminator), decodes them (invalid bytes become U+FFFD) and
 * emits the first {@code maxLineChars} chars as soon as more are there, the rest following after
 * {@link OutputPump#CONTINUED_MARKER}, so memory stays bounded however long the line runs. A
 * surrogate pair is never split, and the text is masked before each cut so a secret across a cut
 * is masked whole.
 *
 * <p>Threading: owned by one pump, used on its thread only.
 */
final class LongLineCutter {

  private final int maxLineChars;
  private final Consumer<String> lines;
  private final LogSink secrets;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final CharBuffer chars = CharBuffer.allocate(8 * 1024);
  private final StringBuilder current = new StringBuilder();
  private boolean open;

  LongLineCutter(int maxLineChars, Consumer<String> lines, LogSink secrets) {
    this.maxLineChars = maxLineChars;
    this.lines = lines;
    this.secrets = secrets;
  }

  /** Whether a line was started and not ended yet. */
  boolean isOpen() {
    return open;
  }

  /**
   * Adds the next bytes of the line, starting it if none is open.
   *
   * @return how many of the bytes were taken: all but an incomplete UTF-8 sequence at their end
   *     (at most 3 bytes), which the caller hands in again in front of the line's next bytes
   */
  int add(byte[] bytes, int from, int to) {
    open = true;
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    decode(in, false);
    return in.position() - from;
  }

  /** Adds the last bytes of the line (an incomplete sequence among them is invalid) and ends it. */
  void end(byte[] bytes, int from, int to) {
    decode(ByteBuffer.wrap(bytes, from, to - from), true);
    chars.clear();
    decoder.flush(chars);
    append(chars.flip());
    decoder.reset();
    if (current.length() > maxLineChars) cut(0);
    lines.accept(current.toString());
    current.setLength(0);
    open = false;
  }

  private void decode(ByteBuffer in, boolean last) {
    CoderResult result;
    do {
      chars.clear();
      result = decoder.decode(in, chars, last);
      append(chars.flip());
    } while (result.isOverflow());
  }

  /**
   * Appends decoded chars, cutting whenever the line grew past the cut plus the lookahead: the
   * same cuts, at the same lengths, as appending them one at a time.
   */
  private void append(CharBuffer decoded) {
    while (decoded.hasRemaining()) {
      int cutAbove = maxLineChars + lookahead();
      int take = Math.min(decoded.remaining(), Math.max(1, cutAbove + 1 - current.length()));
      current.append(decoded.array(), decoded.arrayOffset() + decoded.position(), take);
      decoded.position(decoded.position() + take);
      if (current.length() > cutAbove) cut(lookahead());
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
   * Emits the first pieces of the line, leaving the rest (after the continuation marker) to grow.
   * why mask first: the sink masks each piece on its own, and a secret cut in two would be stored
   * as two unmasked halves. The buffer holds at least the longest secret past the cut, so a secret
   * starting before the cut is whole in it and masked here.
   *
   * @param keep how many characters past the cut must stay (0 at the end of the line)
   */
  private void cut(int keep) {
    String text = secrets.masked(current.toString());
    current.setLength(0);
    while (text.length() > maxLineChars + keep) {
      int cut = maxLineChars;
      if (Character.isHighSurrogate(text.charAt(cut - 1))) cut--; // why: never split a pair
      lines.accept(text.substring(0, cut));
      text = OutputPump.CONTINUED_MARKER + text.substring(cut);
    }
    current.append(text);
  }
}
