package dev.buildcast.log;

import java.io.InputStream;
import java.util.List;

/**
 * The detailed log of one job: the single source of truth for its lines. Every other view (basic
 * log, live stream, late join, resume, download) is a reader of it at some cursor.
 *
 * <p>Threading: one writer at a time ({@link #append} and {@link #seal} are serialized by the
 * implementation, which assigns {@code seq}); any number of concurrent readers. {@link #lastSeq},
 * {@link #isSealed}, {@link #read}, {@link #addListener} and {@link #textBytes} never wait for an
 * append in progress, so a listener (which runs inside the writer's lock) may be blocked by a
 * reader without deadlock.
 *
 * <p>Durability: {@link #append} returns only after the line reached the file (page cache), or
 * inside a {@link #batch} scope publishes it only then, so a line that any client was sent
 * survives the server being killed.
 *
 * <p>Handles: a store may hand out several handles on one job's log; appends made through any of
 * them are heard by listeners registered through any of them.
 */
public interface JobLog extends AutoCloseable {

  String jobId();

  /**
   * Appends text as one or more lines (see {@link LineNormalizer} for how text is split and
   * cleaned), writes them, then tells the listeners.
   *
   * <p>A store may keep a log within a {@link LogLimit}: once the log is over the head of its
   * limit, appended lines are held back (the job goes on) and only the last of them are appended,
   * after a line saying how much was left out, when the log is sealed. Seqs stay contiguous.
   *
   * <p>Inside a {@link #batch} scope the lines are written and heard when the scope publishes
   * them, not before this returns.
   *
   * @return the lines as stored, in order, with their seq; {@link #read} returns equal lines.
   *     Empty when the lines were held back by the limit. Inside a scope, the lines with the seqs
   *     they will be stored under once the scope publishes them.
   * @throws IllegalStateException after {@link #seal()} or {@link #close()}
   * @throws java.io.UncheckedIOException when the write failed; the log then holds none of the
   *     lines (inside a scope: none of the lines waiting to be published)
   */
  List<LogLine> append(LogLevel level, String text);

  /**
   * Runs {@code appends}, which call {@link #append} on this thread, as one batch: a store may
   * hold their lines back and write them together, then tell the listeners once with all of them,
   * when the scope ends. It may publish earlier (a store bounds what a scope holds), never later.
   * Until published, lines are invisible: not heard, not read, not in {@link #lastSeq} or {@link
   * #textBytes}. Sealing or closing inside the scope publishes first. A scope opened inside
   * another joins it. If {@code appends} throws, what it appended is still published.
   *
   * <p>Appends from other threads wait for the scope to end, so keep scopes short (the output
   * pump opens one per chunk it reads from the process, never around a blocking read).
   *
   * <p>This default publishes every append at once, which the contract allows.
   *
   * @throws java.io.UncheckedIOException when writing the batch failed; the log then holds none
   *     of the lines waiting to be published
   */
  default void batch(Runnable appends) {
    appends.run();
  }

  /** The seq of the last line written, 0 when empty. Every line up to it can be read. */
  long lastSeq();

  /**
   * Reads lines with {@code seq > afterSeq} that pass {@code filter}, in order, at most {@code
   * maxLines} of them. Returns fewer than {@code maxLines} only when no more matching lines exist
   * (at the time of the call). Reads from storage; never loads the whole log.
   */
  List<LogLine> read(long afterSeq, LogFilter filter, int maxLines);

  /**
   * The {@code maxBytes} a reader that holds one read at a time for a client should pass to {@link
   * #readThrough}: catch-up for a watcher, the NDJSON download. why 4 MiB: ordinary lines never
   * reach it (a 2,000-line read stays whole), and three readers at once of lines of 60,000 chars
   * (measured: they ran a 256 MB heap out of memory unbounded) hold a few dozen MB.
   */
  long READ_CHUNK_BYTES = 4L * 1024 * 1024;

  /**
   * Every line with {@code afterSeq < seq <= throughSeq} that passes {@code filter}, in order,
   * unless their stored bytes (UTF-8 with each {@code \n}) reach {@code maxBytes} before: then the
   * read stops after the line that reached it, and the result's seq is that line's. {@code
   * throughSeq} must not lie beyond {@link #lastSeq()}.
   *
   * <p>why: a catch-up read of basic lines that ends at a seq (see {@code SharedCatchUpBatches});
   * the default reads and drops what lies past it, which for basic lines in a log of mostly detail
   * lines reads far past it, so logs on a basic index override it. why the bytes: a chunk of 2,000
   * lines of 64 KiB is 128 MB; 1,500 lines of 60,000 chars read, decoded and encoded for three
   * watchers at once ran a 256 MB heap out of memory. A store that reads from disk stops reading at
   * the bound.
   */
  default LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    List<LogLine> lines = read(afterSeq, filter, (int) Math.min(Integer.MAX_VALUE, Math.max(0, throughSeq - afterSeq)));
    return LinesThrough.cut(LogSegmentReader.through(lines, throughSeq), throughSeq, maxBytes);
  }

  /**
   * The detailed log as UTF-8 text, one line per line each ending in {@code \n}, streamed from
   * storage: exactly {@link #textBytes()} bytes as of this call. The caller closes it.
   */
  InputStream openText();

  /** Size in bytes of the detailed log's text (all lines so far). */
  long textBytes();

  /**
   * Registers a listener told of every line appended and of the seal from now on.
   *
   * @return the way to unregister it
   */
  ListenerRegistration addListener(JobLogListener listener);

  /**
   * Marks the log complete: no more appends; readers may rely on {@link #lastSeq()} being final.
   * Idempotent.
   */
  void seal();

  boolean isSealed();

  /** Releases this handle's resources; appends through it then fail. Idempotent. */
  @Override
  void close();
}
