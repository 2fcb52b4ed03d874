package dev.buildcast.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns the text a generator appends into the lines a {@link JobLog} stores. Every store uses it,
 * so a line reads the same whatever keeps it.
 *
 * <ul>
 *   <li>{@code \r\n}, {@code \r} and {@code \n} end a line; the text after one starts a new line.
 *       A single terminator at the very end does not add an empty line ({@code "a\n"} is one line
 *       {@code "a"}); empty text is one empty line.
 *   <li>Control characters (ISO controls, including NUL, DEL and C1) become {@code U+FFFD}, except
 *       tab and ESC: ANSI colour sequences survive. An unpaired surrogate also becomes {@code
 *       U+FFFD}, so the stored UTF-8 decodes back to exactly the returned text.
 *   <li>A line longer than {@link LogLine#MAX_TEXT_CHARS} is split: the first part holds as many
 *       chars as fit, and each following part starts with {@link #CONTINUATION_MARKER} ({@code "↪
 *       "}) followed by the next chars, each part at most {@link LogLine#MAX_TEXT_CHARS} long in
 *       total. A surrogate pair is never split.
 * </ul>
 */
public final class LineNormalizer {

  /** Starts every line that continues a line too long to store whole. */
  public static final String CONTINUATION_MARKER = "\u21AA ";

  /** Stands in for a control character or an unpaired surrogate. */
  public static final char REPLACEMENT = '\uFFFD';

  private static final char ESC = '\u001B';

  private LineNormalizer() {}

  /** The lines {@code text} is stored as, in order; never empty (and not to be modified). */
  public static List<String> normalize(String text) {
    // why: nearly every line a generator prints needs no change; copying it char by char into a
    // builder was the largest cost of capturing output (JFR, bench/README.md)
    if (isStoredAsIs(text)) return List.of(text);
    List<String> lines = new ArrayList<>(1);
    StringBuilder line = new StringBuilder(Math.min(text.length(), 256));
    boolean endedWithTerminator = false;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      endedWithTerminator = false;
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') i++;
        addSplit(lines, line);
        line.setLength(0);
        endedWithTerminator = true;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        line.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c) || (Character.isISOControl(c) && c != '\t' && c != ESC)) {
        line.append(REPLACEMENT);
      } else {
        line.append(c);
      }
    }
    if (!endedWithTerminator) addSplit(lines, line);
    return lines;
  }

  /**
   * The bytes a log stores for {@code text} ({@link PendingLine#bytes(String)}) when {@link
   * #normalize} keeps it as is; empty when it changes it (then use {@link #normalize}). why: nearly
   * every line a generator prints is printable ASCII, and checking its encoded bytes eight at a
   * time costs a fraction of checking its chars one at a time (bench/README.md, issue 17); other
   * text is checked char by char, and the bytes encoded for the check are kept either way.
   */
  static Optional<byte[]> storedAsIsBytes(String text) {
    int length = text.length();
    if (length > LogLine.MAX_TEXT_CHARS) return Optional.empty();
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    // why '?' is left to the char check: the encoder writes it for an unpaired surrogate, so only
    // without it do as many bytes as chars mean every char is ASCII
    boolean asIs = encoded.length == length && isPrintableAsciiWithoutQuestionMark(encoded) || isStoredAsIs(text);
    if (!asIs) return Optional.empty();
    byte[] line = Arrays.copyOf(encoded, encoded.length + 1);
    line[encoded.length] = '\n';
    return Optional.of(line);
  }

  private static boolean isPrintableAsciiWithoutQuestionMark(byte[] bytes) {
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      long word = ByteWords.at(bytes, i);
      // why one test per word: a top bit set here means some byte may be at or above DEL (the
      // first two terms) or below ' ' (the third), or be '?'; only then are its bytes looked at
      long suspect = (((word + ByteWords.ONES) | word | (word - ' ' * ByteWords.ONES)) & ByteWords.HIGH_BITS) | ByteWords.zeroBytes(word ^ '?' * ByteWords.ONES);
      if (suspect != 0 && !isPrintableAsciiWithoutQuestionMark(bytes, i, i + Long.BYTES)) return false;
    }
    return isPrintableAsciiWithoutQuestionMark(bytes, i, bytes.length);
  }

  private static boolean isPrintableAsciiWithoutQuestionMark(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b < ' ' ? b != '\t' && b != ESC : b == '\u007F' || b == '?') return false;
    }
    return true;
  }

  /** One line, short enough, with no terminator, no control but tab and ESC, no surrogate. */
  private static boolean isStoredAsIs(String text) {
    int length = text.length();
    if (length > LogLine.MAX_TEXT_CHARS) return false;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < ' ' ? c != '\t' && c != ESC : c >= '\u007F' && (c <= '\u009F' || Character.isSurrogate(c))) {
        return false;
      }
    }
    return true;
  }

  private static void addSplit(List<String> lines, CharSequence line) {
    int max = LogLine.MAX_TEXT_CHARS;
    if (line.length() <= max) {
      lines.add(line.toString());
      return;
    }
    int start = cut(line, 0, max);
    lines.add(line.subSequence(0, start).toString());
    int room = max - CONTINUATION_MARKER.length();
    while (start < line.length()) {
      int end = cut(line, start, room);
      lines.add(CONTINUATION_MARKER + line.subSequence(start, end));
      start = end;
    }
  }

  /** Where a part starting at {@code start} of at most {@code room} chars ends, pairs kept whole. */
  private static int cut(CharSequence line, int start, int room) {
    int end = Math.min(line.length(), start + room);
    if (end < line.length() && Character.isHighSurrogate(line.charAt(end - 1))) end--;
    return end;
  }
}
