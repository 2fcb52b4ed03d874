package dev.buildcast.log;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lines offered to a subscriber in one go: they continue exactly from the subscriber's cursor
 * ({@link #afterSeq()}) and account for the detailed log up to {@link #throughSeq()}.
 *
 * <p>For a {@link LogFilter#BASIC} batch {@code throughSeq} may lie beyond the last line: the
 * detail lines in between were passed over. Likewise a basic subscriber's cursor moves over deliveries
 * holding only detail lines without any batch, so its next batch's {@code afterSeq} may lie beyond
 * the previous batch's {@code throughSeq}, with no basic line in between; for {@link
 * LogFilter#ALL} each batch's {@code afterSeq} equals the previous one's {@code throughSeq}. A
 * subscriber's cursor, and so a client's {@code since}, is always a seq of the detailed log.
 *
 * <p>Immutable; one live batch is offered to every live subscriber with its filter, so its
 * encodings are computed once for all of them through {@link #encoded}. A catch-up batch kept for
 * later readers is kept {@link #withoutLines() without its lines}, with the encodings it shares with
 * the batch it was made from.
 */
public final class LogBatch {

  private final long afterSeq;
  private final long throughSeq;
  private final LogFilter filter;
  /** Null in a batch kept {@link #withoutLines() without its lines}. */
  private final List<LogLine> lines;
  private final Map<Object, Object> encodings;

  /**
   * @param afterSeq the cursor this batch continues from: every line passing {@code filter} with a
   *     seq in {@code (afterSeq, throughSeq]} is in {@code lines}
   * @param throughSeq the last detailed-log seq this batch accounts for
   * @param filter the filter all lines pass
   * @param lines at least one line, in seq order
   */
  public LogBatch(long afterSeq, long throughSeq, LogFilter filter, List<LogLine> lines) {
    this(afterSeq, throughSeq, filter, lines, new ConcurrentHashMap<>(2));
  }

  private LogBatch(long afterSeq, long throughSeq, LogFilter filter, List<LogLine> lines, Map<Object, Object> encodings) {
    this.encodings = encodings;
    this.filter = Objects.requireNonNull(filter, "filter");
    this.lines = List.copyOf(lines);
    if (this.lines.isEmpty()) throw new IllegalArgumentException("a batch holds at least one line");
    long previous = afterSeq;
    for (LogLine line : this.lines) {
      if (line.seq() <= previous) throw new IllegalArgumentException("lines out of order at " + line.seq());
      if (!filter.accepts(line)) throw new IllegalArgumentException("line " + line.seq() + " fails " + filter);
      previous = line.seq();
    }
    if (throughSeq < previous) throw new IllegalArgumentException("throughSeq before the last line");
    this.afterSeq = afterSeq;
    this.throughSeq = throughSeq;
  }

  /** The lines-less twin: same seqs, filter and encodings (including those computed later). */
  private LogBatch(LogBatch of) {
    this.afterSeq = of.afterSeq;
    this.throughSeq = of.throughSeq;
    this.filter = of.filter;
    this.lines = null;
    this.encodings = of.encodings;
  }

  /**
   * This batch without its lines, sharing its encodings: what is worth keeping for other readers
   * of the same lines once they were read from disk. why: a kept chunk held each line (an object
   * and its string) beside its packets' bytes, and only a reader in a format not yet encoded needs
   * them; that one reads them again ({@link #withLines}). Asking it for its lines, or for an
   * encoding it does not have, fails.
   */
  LogBatch withoutLines() {
    return lines == null ? this : new LogBatch(this);
  }

  /**
   * This batch with {@code lines} (read again) in place of the dropped ones, sharing its encodings,
   * so an encoding computed for it is found by the next reader of the lines-less one too.
   *
   * @throws IllegalArgumentException if the lines are not this batch's (as the constructor checks)
   */
  LogBatch withLines(List<LogLine> lines) {
    return new LogBatch(afterSeq, throughSeq, filter, lines, encodings);
  }

  /** Whether {@link #encoded} has an encoding for {@code key} already. */
  boolean hasEncoding(Object key) {
    return encodings.containsKey(key);
  }

  /** The cursor this batch continues from. */
  public long afterSeq() {
    return afterSeq;
  }

  /** The last detailed-log seq this batch accounts for; the subscriber's cursor after it. */
  public long throughSeq() {
    return throughSeq;
  }

  public LogFilter filter() {
    return filter;
  }

  /**
   * The lines, in seq order; never empty.
   *
   * @throws IllegalStateException on a batch kept {@link #withoutLines() without its lines}
   */
  public List<LogLine> lines() {
    if (lines == null) throw new IllegalStateException(this + " was kept without its lines");
    return lines;
  }

  public long firstSeq() {
    return lines().get(0).seq();
  }

  public long lastSeq() {
    List<LogLine> all = lines();
    return all.get(all.size() - 1).seq();
  }

  /**
   * This batch's encoding for {@code key} (for example a wire format), computed by {@code encoder}
   * the first time it is asked for and shared by every later caller, on any thread. Callers that
   * ask concurrently wait for the one computation.
   *
   * @param key names the encoding; use one key per encoder and result type
   * @param encoder computes it; must not return null nor ask this batch for another encoding
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Object key, Function<? super LogBatch, ? extends T> encoder) {
    return (T) encodings.computeIfAbsent(key, k -> Objects.requireNonNull(encoder.apply(this)));
  }

  /**
   * The part of this batch after {@code cursor}, for a subscriber that joined live part-way
   * through it; null when nothing is left.
   */
  LogBatch after(long cursor) {
    if (cursor <= afterSeq) return this;
    List<LogLine> rest = lines().stream().filter(line -> line.seq() > cursor).toList();
    return rest.isEmpty() ? null : new LogBatch(cursor, throughSeq, filter, rest);
  }

  @Override
  public String toString() {
    return "LogBatch(" + filter + " after " + afterSeq + " through " + throughSeq + ", "
        + (lines == null ? "lines not kept" : lines.size() + " lines") + ")";
  }
}
