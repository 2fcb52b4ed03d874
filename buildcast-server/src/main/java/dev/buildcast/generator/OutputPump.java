package dev.buildcast.generator;

import dev.buildcast.log.ByteWords;
import dev.buildcast.log.LineNormalizer;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

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
 * <p>How: the bytes are split into lines before they are decoded, which is safe because no byte
 * of a multi-byte UTF-8 character is {@code \n} or {@code \r}. A line of at most {@code
 * maxLineChars} bytes (so at most as many chars) is decoded into its string in one go; why: cutting
 * the decoded text a char at a time was most of the CPU a job's output cost (bench/README.md,
 * issue 17). A longer line goes through {@link LongLineCutter} as it arrives. Decoding each line on
 * its own gives the same text as decoding the whole stream: an incomplete character before a
 * terminator is invalid either way.
 *
 * <p>Threading: one pump reads one stream on the calling thread until end of stream.
 */
public final class OutputPump {

  /** Starts each piece of a cut line after the first; the same marker the log uses for its own splits. */
  public static final String CONTINUED_MARKER = LineNormalizer.CONTINUATION_MARKER;

  private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CARRIAGE_RETURNS = 0x0D0D0D0D0D0D0D0DL;

  /** The most one read asks for; why: what a Linux pipe holds, so one read can empty it. */
  private static final int READ_BYTES = 64 * 1024;

  private final int maxLineChars;
  private final Consumer<String> lines;
  private final Consumer<Runnable> chunkScope;
  private final LongLineCutter longLine;
  /**
   * Holds the bytes carried over from the previous read (the start of a line, or the incomplete
   * last character of a long line's bytes so far), then the bytes just read.
   */
  private final byte[] buffer;
  private int carried;
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
   * @param secrets masks a long line before it is cut
   */
  public OutputPump(int maxLineChars, Consumer<String> lines, Consumer<Runnable> chunkScope, LogSink secrets) {
    if (maxLineChars < 16) throw new IllegalArgumentException("maxLineChars too small: " + maxLineChars);
    this.maxLineChars = maxLineChars;
    this.lines = lines;
    this.chunkScope = chunkScope;
    this.longLine = new LongLineCutter(maxLineChars, lines, secrets);
    // why this size: the start of a line short enough to decode whole, plus a full read
    this.buffer = new byte[maxLineChars + READ_BYTES];
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
    int n;
    // why there is always room for a full read: at most maxLineChars bytes are carried over
    while ((n = in.read(buffer, carried, READ_BYTES)) != -1) {
      int end = carried + n;
      chunkScope.accept(() -> split(end));
    }
    chunkScope.accept(this::endOfStream);
  }

  /**
   * Emits the lines ended in {@code buffer[0, end)} and carries what follows the last terminator
   * over to the next read.
   */
  private void split(int end) {
    int lineStart = 0;
    for (int i = nextTerminator(carried, end); i < end; i = nextTerminator(i + 1, end)) {
      byte b = buffer[i];
      if (b == '\n' && lastWasCarriageReturn && i == lineStart) {
        lastWasCarriageReturn = false; // the \n of a \r\n
      } else {
        endLine(lineStart, i);
        lastWasCarriageReturn = b == '\r';
      }
      lineStart = i + 1;
    }
    if (lineStart < end) lastWasCarriageReturn = false;
    int keep = end - lineStart;
    if (keep > 0 && (longLine.isOpen() || keep > maxLineChars)) {
      keep -= longLine.add(buffer, lineStart, end);
    }
    System.arraycopy(buffer, end - keep, buffer, 0, keep);
    carried = keep;
  }

  /**
   * Where the next {@code \n} or {@code \r} in {@code buffer[from, end)} is; {@code end} when there
   * is none. why eight bytes at a time: looking at each byte on its own was a third of the
   * capture's CPU once lines were no longer decoded a char at a time.
   */
  private int nextTerminator(int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = ByteWords.at(buffer, i);
      long found = ByteWords.zeroBytes(word ^ LINE_FEEDS) | ByteWords.zeroBytes(word ^ CARRIAGE_RETURNS);
      // why the lowest flag is exact: a false flag can only follow a true one (little-endian)
      if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
    }
    for (; i < end; i++) {
      if (buffer[i] == '\n' || buffer[i] == '\r') return i;
    }
    return end;
  }

  /** Emits the line in {@code buffer[from, to)}, or the end of the long line it ends. */
  private void endLine(int from, int to) {
    if (longLine.isOpen() || to - from > maxLineChars) {
      longLine.end(buffer, from, to);
    } else {
      lines.accept(new String(buffer, from, to - from, StandardCharsets.UTF_8));
    }
  }

  private void endOfStream() {
    if (carried > 0 || longLine.isOpen()) endLine(0, carried);
    carried = 0;
  }
}
