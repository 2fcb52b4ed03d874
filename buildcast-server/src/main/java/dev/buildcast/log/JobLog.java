package dev.buildcast.log;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * The detailed log of one job: the single source of truth for its lines. Every other view (basic
 * log, live stream, late join, resume, download) is a reader of it at some cursor.
 *
 * <p>Threading: one writer at a time ({@link #append} is synchronized by the implementation, which
 * assigns {@code seq}); any number of concurrent readers.
 *
 * <p>Durability: {@link #append} returns only after the line reached the file (page cache), so a
 * line that any client was sent survives the server being killed.
 */
public interface JobLog extends AutoCloseable {

  String jobId();

  /**
   * Appends a line (text split into several lines of at most {@link LogLine#MAX_TEXT_CHARS} with a
   * marker when longer; line breaks inside {@code text} also start new lines), writes it, then tells
   * the append listeners.
   *
   * @return the lines as stored, in order, with their seq
   * @throws IllegalStateException after {@link #seal()}
   */
  List<LogLine> append(LogLevel level, String text);

  /** The seq of the last line written, 0 when empty. */
  long lastSeq();

  /**
   * Reads lines with {@code seq > afterSeq} that pass {@code filter}, in order, at most {@code
   * maxLines} of them. Reads from disk; never loads the whole log.
   */
  List<LogLine> read(long afterSeq, LogFilter filter, int maxLines);

  /** The detailed log as UTF-8 text, one line per line, streamed from disk. */
  InputStream openText();

  /** Size in bytes of {@link #openText()}'s content. */
  long textBytes();

  /** Registers a listener told (on the appending thread, after the write) of every appended line. */
  void onAppend(Consumer<List<LogLine>> listener);

  /** Marks the log complete: no more appends; readers may rely on {@link #lastSeq()} being final. */
  void seal();

  boolean isSealed();

  @Override
  void close();
}
