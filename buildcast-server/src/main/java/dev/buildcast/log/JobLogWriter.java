package dev.buildcast.log;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one unsealed log, shared by every handle a {@link SegmentedLogStore}
 * gives out on it, and the one place the log's rules live: it normalizes appended text ({@link
 * LineNormalizer}), numbers the lines, keeps the log within its {@link LogLimit}, batches, and
 * tells the listeners. Its {@link JobLogSegments} only store what it hands them.
 *
 * <p>Locking: {@code this} guards appending and sealing (the seqs, the decision to seal, and the
 * order listeners hear lines in). The segments' extent moves only after the lines it covers are
 * stored, and {@link #sealed} is volatile and set after the seal is stored, so readers never take
 * the lock. {@link #listeners} is copy-on-write so registering never waits for an append. {@link
 * #forceIfDirty} runs outside the lock, off the append path.
 *
 * <p>Batches: {@link #batch} holds the lock for its whole scope. Appends inside it take their seqs
 * and are encoded at once, but wait in {@link UnpublishedLines} and are stored together (one
 * append to the segments, one listener call) when the scope ends or the waiting text passes
 * {@link #PUBLISH_AT_BYTES}: the same order as a single append (stored, then heard), so nothing
 * is heard or read before it is stored. Outside a scope every append is published at once.
 *
 * <p>Why one class this long: appending, batching, the limit and sealing all move the one
 * published extent under the one lock, and the crash guarantees rest on their order; split apart,
 * that order would be spread over classes sharing mutable state.
 *
 * <p>Limit: once the text would grow past the head of its {@link LogLimit}, the writer appends one
 * warning line and from then on holds lines back ({@link HeldBackLines}) instead of appending them
 * (they get no seq and no listener hears of them). Sealing appends a line saying how much was left
 * out, then the last held-back lines, so the stored seqs stay contiguous and never change.
 */
final class JobLogWriter {

  private static final Logger LOG = LoggerFactory.getLogger(JobLogWriter.class);

  private final String jobId;
  private final JobLogSegments segments;
  private final Clock clock;
  private final Runnable onSealed;
  private final boolean durable;
  private final JobLogListeners listeners;
  private final LogLimit limit;
  private final AppendCounter counter;

  /** Room kept under the head for the line saying the limit was reached. */
  static final int LIMIT_LINE_RESERVE = 1024;
  /** Lines of the held-back tail appended (and heard by listeners) at a time when sealing. */
  private static final int TAIL_BATCH_LINES = 1000;
  /**
   * A batch scope publishes what it holds once this much text waits: watchers hear lines in
   * steps no bigger than this, and a scope holds little memory however much it appends.
   */
  static final int PUBLISH_AT_BYTES = 64 * 1024;

  private volatile boolean sealed;
  private volatile boolean closed;
  private volatile boolean dirty;
  /** Holds lines back while the log is over its limit; guarded by {@code this}. */
  private volatile HeldBackLines heldBack;
  /** The head is full: never start holding back again (also after the tail was appended). */
  private boolean limitReached;
  /** How deep the batch scopes open on the thread holding the lock are; guarded by {@code this}. */
  private int scopeDepth;
  /** Lines appended in the open scope, not yet stored; guarded by {@code this}. */
  private final UnpublishedLines unpublished = new UnpublishedLines();
  /** Lines (and their bytes) appended in the open scope, not yet told to the counter; guarded by {@code this}. */
  private int uncountedLines;
  private long uncountedBytes;
  /** What must run once the open scope ended and the lock is let go; guarded by {@code this}. */
  private final List<Runnable> afterScope = new ArrayList<>();

  /** Handles open on this writer; guarded by the owning store's lock. */
  int handles;

  /**
   * Takes over segments just opened (and repaired) for appending.
   *
   * @param durable whether sealing and closing force the segments to disk (against power loss)
   * @param onSealed runs once the log is sealed, outside the writer's lock
   */
  JobLogWriter(
      String jobId,
      JobLogSegments segments,
      Clock clock,
      boolean durable,
      LogLimit limit,
      AppendCounter counter,
      Runnable onSealed) {
    this.jobId = jobId;
    this.listeners = new JobLogListeners(jobId);
    this.segments = segments;
    this.clock = clock;
    this.durable = durable;
    this.limit = limit;
    this.counter = counter;
    this.onSealed = onSealed;
    this.heldBack = segments.heldBack().orElse(null);
    this.limitReached = heldBack != null || overHead(segments.extent().textBytes());
  }

  String jobId() {
    return jobId;
  }

  /** What is stored and may be read: every line up to it was heard or is being heard. */
  LogExtent extent() {
    return segments.extent();
  }

  LogSegmentReader reader() {
    return segments.reader();
  }

  boolean isSealed() {
    return sealed;
  }

  /**
   * Appends text as lines. Outside a batch scope they are published before this returns; inside
   * one they are published by the scope (see {@link #batch}).
   *
   * @return the lines with the seqs they are (or, inside a scope, will be) stored under; empty
   *     when the limit held them back
   */
  synchronized List<LogLine> append(LogLevel level, String text) {
    if (sealed) throw new IllegalStateException("the log of job " + jobId + " is sealed");
    if (closed) throw new IllegalStateException("the log of job " + jobId + " is closed");
    long now = clock.millis();
    Optional<byte[]> plain = LineNormalizer.storedAsIsBytes(text);
    List<String> texts = plain.isPresent() ? List.of(text) : LineNormalizer.normalize(text);
    List<byte[]> bytes = plain.isPresent() ? List.of(plain.get()) : encoded(texts);
    long appendedBytes = 0;
    for (byte[] lineBytes : bytes) appendedBytes += lineBytes.length;
    uncountedLines += texts.size();
    uncountedBytes += appendedBytes;
    if (scopeDepth == 0) countAppended();
    if (heldBack != null) {
      heldBack.add(pending(now, level, texts));
      dirty = true;
      return List.of();
    }
    LogExtent extent = segments.extent();
    // why the unpublished text counts: the limit falls where it would with every append published
    if (!limitReached && overHead(extent.textBytes() + unpublished.textBytes() + appendedBytes)) {
      publishUnpublished();
      startHoldingBack(now);
      heldBack.add(pending(now, level, texts));
      return List.of();
    }
    List<LogLine> added = unpublished.add(extent, now, level, texts, bytes);
    if (scopeDepth == 0 || unpublished.textBytes() >= PUBLISH_AT_BYTES) publishUnpublished();
    return added;
  }

  private static List<byte[]> encoded(List<String> texts) {
    List<byte[]> bytes = new ArrayList<>(texts.size());
    for (String lineText : texts) bytes.add(PendingLine.bytes(lineText));
    return bytes;
  }

  /**
   * Runs {@code appends} holding this writer, publishing the lines they append together when it
   * ends (or earlier, every {@link #PUBLISH_AT_BYTES}). A scope opened inside another joins it.
   * If {@code appends} throws, what it appended is still published, then the exception goes on.
   * Other threads' appends, seals and closes wait for the scope.
   *
   * @throws java.io.UncheckedIOException when storing the lines failed; none of those waiting is
   *     then in the log
   */
  void batch(Runnable appends) {
    try {
      synchronized (this) {
        scopeDepth++;
        try {
          appends.run();
        } catch (RuntimeException | Error failure) {
          endScope(failure);
          throw failure;
        }
        endScope(null);
      }
    } finally {
      runAfterScope();
    }
  }

  private void endScope(Throwable failure) {
    if (--scopeDepth > 0) return;
    countAppended();
    try {
      publishUnpublished();
    } catch (RuntimeException e) {
      if (failure == null) throw e;
      failure.addSuppressed(e);
    }
  }

  /**
   * Tells the counter of the lines appended since it was last told. why once per scope, not per
   * append: the metrics behind it cost a striped add per call, per line of a job's output.
   */
  private void countAppended() {
    if (uncountedLines == 0) return;
    counter.appended(uncountedLines, uncountedBytes);
    uncountedLines = 0;
    uncountedBytes = 0;
  }

  private void publishUnpublished() {
    if (unpublished.isEmpty()) return;
    // why taken first: if storing fails, none of the waiting lines is in the log, nor kept here
    UnpublishedLines.Taken taken = unpublished.take();
    publish(taken.lines(), taken.bytes());
  }

  /**
   * Runs {@code action} now, or, on the thread inside a batch scope, once the scope ended and the
   * lock is let go. why: what it does may take the store's lock, which is taken before a writer's.
   */
  void outsideScope(Runnable action) {
    synchronized (this) {
      if (scopeDepth > 0) {
        afterScope.add(action);
        return;
      }
    }
    action.run();
  }

  private void runAfterScope() {
    if (Thread.holdsLock(this)) return; // an outer scope is still open
    List<Runnable> due;
    synchronized (this) {
      if (afterScope.isEmpty()) return;
      due = List.copyOf(afterScope);
      afterScope.clear();
    }
    due.forEach(Runnable::run);
  }

  private boolean overHead(long textBytes) {
    return limit.isLimited() && textBytes + LIMIT_LINE_RESERVE > limit.headBytes();
  }

  /** Stores numbered lines, then tells the listeners. Called with the lock held. */
  private void publish(List<LogLine> lines, List<byte[]> bytes) {
    segments.append(lines, bytes);
    dirty = true;
    listeners.appended(lines);
  }

  /** Numbers lines that have none yet after the stored extent, then publishes them. */
  private void publishPending(List<PendingLine> pending) {
    long next = segments.extent().lines() + 1;
    List<LogLine> lines = new ArrayList<>(pending.size());
    List<byte[]> bytes = new ArrayList<>(pending.size());
    for (PendingLine line : pending) {
      lines.add(new LogLine(next++, line.timestampMillis(), line.level(), line.text()));
      bytes.add(line.bytes());
    }
    publish(List.copyOf(lines), bytes);
  }

  private static List<PendingLine> pending(long timestampMillis, LogLevel level, List<String> texts) {
    return texts.stream().map(text -> new PendingLine(timestampMillis, level, text)).toList();
  }

  /** The head is full: say so in the log, then hold every later line back. */
  private void startHoldingBack(long now) {
    limitReached = true;
    String warning = "Log limit reached: this job's log is over " + LogLimit.humanBytes(limit.headBytes()) + " (limit "
        + LogLimit.humanBytes(limit.maxBytes()) + "). The job goes on; live output pauses here. When the job ends,"
        + " the log keeps its last " + LogLimit.humanBytes(limit.tailBytes()) + " after a line saying how much was left out.";
    publishPending(pending(now, LogLevel.WARNING, LineNormalizer.normalize(warning)));
    try {
      heldBack = segments.startHoldingBack(limit.tailBytes(), segments.extent());
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot start holding back the tail of the log of job " + jobId, e.getCause());
    }
    LOG.warn("{} - log limit of {} reached; holding back the tail", jobId, LogLimit.humanBytes(limit.maxBytes()));
  }

  /**
   * Appends what is held back and kept: a line saying how much was left out, then the last lines.
   * Called with the lock held when sealing, and on open when a crash interrupted it (the log is
   * then cut back to the head, and the same lines get the same seqs again).
   */
  private void appendTail() {
    HeldBackLines held = heldBack;
    if (held == null) return;
    TailSelection kept = TailSelection.of(held);
    publishPending(List.of(new PendingLine(clock.millis(), LogLevel.WARNING,
        "\u2026 " + String.format(Locale.ROOT, "%,d", kept.leftOutLines()) + " lines ("
            + LogLimit.humanBytes(kept.leftOutBytes()) + ") left out \u2026")));
    held.forEachKept(kept.skip(), TAIL_BATCH_LINES, this::publishPending);
    try {
      if (durable) segments.force();
      held.delete();
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot finish the tail of the log of job " + jobId, e.getCause());
    }
    heldBack = null;
    LOG.info("{} - log tail appended: {} lines kept, {} left out", jobId, kept.keptLines(), kept.leftOutLines());
  }

  /**
   * On open: true when a crash interrupted appending the held-back tail (lines past the head while
   * lines are still held back).
   */
  synchronized boolean tailInterrupted() {
    return heldBack != null && segments.extent().lines() > heldBack.head().lines();
  }

  /** On open, after a crash during {@link #appendTail}: cut back to the head and do it again. */
  synchronized void redoInterruptedTail() {
    segments.truncate(heldBack.head());
    appendTail();
  }

  ListenerRegistration addListener(JobLogListener listener) {
    return listeners.add(listener);
  }

  /** Forces stored lines to the disk when some were appended since the last force. */
  void forceIfDirty() {
    if (!dirty) return;
    dirty = false;
    try {
      segments.force();
      HeldBackLines held = heldBack;
      if (held != null) held.force();
    } catch (UncheckedIOException e) {
      // why: the writer may have been sealed or closed meanwhile, which forces by itself
      if (!closed && !sealed) LOG.warn("{} - cannot force the log to disk", jobId, e);
    }
  }

  void seal() {
    // why outside the lock: the store's lock is taken before a writer's when deleting a log
    if (sealOnce()) outsideScope(onSealed);
  }

  private synchronized boolean sealOnce() {
    if (sealed) return false;
    if (closed) throw new IllegalStateException("the log of job " + jobId + " is closed");
    publishUnpublished();
    appendTail();
    try {
      segments.seal(durable);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot seal the log of job " + jobId, e.getCause());
    }
    sealed = true;
    listeners.sealed(segments.extent().lines());
    return true;
  }

  /**
   * Publishes what a scope open on this thread appended, then forces and releases the segments; a
   * later open of the log starts a new writer.
   */
  synchronized void close() {
    if (closed) return;
    closed = true;
    if (sealed) return;
    try {
      publishUnpublished();
    } finally {
      release();
    }
  }

  private void release() {
    if (heldBack != null) heldBack.close();
    segments.close(durable);
  }
}
