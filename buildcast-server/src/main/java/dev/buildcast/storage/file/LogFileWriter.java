package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.AppendCounter;
import dev.buildcast.log.LineNormalizer;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one unsealed log, shared by every handle the store gives out on it.
 *
 * <p>Locking: {@code this} guards appending and sealing (the channels' write positions, the
 * decision to seal, and the order listeners hear lines in). {@link #extent} and {@link #sealed}
 * are volatile and published after the writes they describe, so readers never take the lock.
 * {@link #listeners} is copy-on-write so registering never waits for an append. {@link
 * #forceIfDirty} runs outside the lock, off the append path.
 *
 * <p>Batches: {@link #batch} holds the lock for its whole scope. Appends inside it take their seqs
 * and are encoded at once, but wait in {@link UnpublishedLines} and are written together (one
 * write per file, one listener call) when the scope ends or the waiting text passes {@link
 * #PUBLISH_AT_BYTES}: the same order as a single append (files, then extent, then listeners), so
 * nothing is heard or read before it is on disk. Outside a scope every append is published at once.
 *
 * <p>Why one class past 400 lines: appending, batching, the limit and sealing all move the one
 * published extent under the one lock, and the crash guarantees rest on their order; split apart,
 * that order would be spread over classes sharing mutable state.
 *
 * <p>Limit: once the text would grow past the head of its {@link LogLimit}, the writer appends one
 * warning line and from then on holds lines back in a {@link TailRing} instead of appending them
 * (they get no seq and no listener hears of them). Sealing appends a line saying how much was left
 * out, then the ring's last lines, so the stored seqs stay contiguous and never change.
 */
final class LogFileWriter {

  private static final Logger LOG = LoggerFactory.getLogger(LogFileWriter.class);

  private final String jobId;
  private final LogFiles files;
  private final Clock clock;
  private final Runnable onSealed;
  private final boolean durable;
  private final List<JobLogListener> listeners = new CopyOnWriteArrayList<>();
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

  private volatile LogExtent extent;
  private volatile boolean sealed;
  private volatile boolean closed;
  private volatile boolean dirty;
  private volatile Channels channels;
  /** Part of a failed append may be on disk past {@link #extent}; guarded by {@code this}. */
  private boolean torn;
  /** Holds lines back while the log is over its limit; guarded by {@code this}. */
  private volatile TailRing ring;
  /** The head is full: never start a ring again (also after the ring was appended). */
  private boolean limitReached;
  /** How deep the batch scopes open on the thread holding the lock are; guarded by {@code this}. */
  private int scopeDepth;
  /** Lines appended in the open scope, not yet written; guarded by {@code this}. */
  private final UnpublishedLines unpublished = new UnpublishedLines();
  /** What must run once the open scope ended and the lock is let go; guarded by {@code this}. */
  private final List<Runnable> afterScope = new ArrayList<>();

  /** Handles open on this writer; guarded by the owning store's lock. */
  int handles;

  private record Channels(FileChannel text, FileChannel basic, FileChannel index) {

    static Channels open(LogFiles files) throws IOException {
      return new Channels(openForAppend(files.text()), openForAppend(files.basicIndex()),
          openForAppend(files.index()));
    }

    private static FileChannel openForAppend(java.nio.file.Path path) throws IOException {
      return PrivateFiles.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    void force() throws IOException {
      text.force(false);
      basic.force(false);
      index.force(false);
    }

    void close(String jobId) {
      for (FileChannel channel : List.of(text, basic, index)) {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.warn("{} - could not close a log file", jobId, e);
        }
      }
    }
  }

  /**
   * Opens the writer on files already repaired to {@code extent}.
   *
   * @param durable whether sealing and closing force the files to disk (against power loss)
   */
  LogFileWriter(
      String jobId,
      LogFiles files,
      LogExtent extent,
      Clock clock,
      boolean durable,
      LogLimit limit,
      TailRing ring,
      AppendCounter counter,
      Runnable onSealed)
      throws IOException {
    this.durable = durable;
    this.counter = counter;
    this.limit = limit;
    this.ring = ring;
    this.limitReached = ring != null || overHead(extent.textBytes());
    this.jobId = jobId;
    this.files = files;
    this.extent = extent;
    this.clock = clock;
    this.onSealed = onSealed;
    this.channels = Channels.open(files);
  }

  String jobId() {
    return jobId;
  }

  LogFiles files() {
    return files;
  }

  LogExtent extent() {
    return extent;
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
    List<String> texts = LineNormalizer.normalize(text);
    List<byte[]> bytes = new ArrayList<>(texts.size());
    long appendedBytes = 0;
    for (String lineText : texts) {
      byte[] lineBytes = PendingLine.bytes(lineText);
      bytes.add(lineBytes);
      appendedBytes += lineBytes.length;
    }
    counter.appended(texts.size(), appendedBytes);
    if (ring != null) {
      ring.add(pending(now, level, texts));
      dirty = true;
      return List.of();
    }
    // why the unpublished text counts: the limit falls where it would with every append published
    if (!limitReached && overHead(extent.textBytes() + unpublished.textBytes() + appendedBytes)) {
      publishUnpublished();
      startTail(now);
      ring.add(pending(now, level, texts));
      return List.of();
    }
    List<LogLine> added = unpublished.add(extent, now, level, texts, bytes);
    if (scopeDepth == 0 || unpublished.textBytes() >= PUBLISH_AT_BYTES) publishUnpublished();
    return added;
  }

  /**
   * Runs {@code appends} holding this writer, publishing the lines they append together when it
   * ends (or earlier, every {@link #PUBLISH_AT_BYTES}). A scope opened inside another joins it.
   * If {@code appends} throws, what it appended is still published, then the exception goes on.
   * Other threads' appends, seals and closes wait for the scope.
   *
   * @throws java.io.UncheckedIOException when writing the lines failed; none of those waiting is
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
    try {
      publishUnpublished();
    } catch (RuntimeException e) {
      if (failure == null) throw e;
      failure.addSuppressed(e);
    }
  }

  private void publishUnpublished() {
    if (!unpublished.isEmpty()) publish(unpublished.take(extent));
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

  /** Writes an encoded append, then tells the listeners. Called with the lock held. */
  private List<LogLine> publish(EncodedAppend encoded) {
    write(extent, encoded.text(), encoded.basicIndex(), encoded.index());
    extent = encoded.after();
    List<LogLine> lines = encoded.lines();
    dirty = true;
    for (JobLogListener listener : listeners) {
      try {
        listener.appended(lines);
      } catch (RuntimeException e) {
        LOG.error("{} - a listener of the log failed", jobId, e);
      }
    }
    return lines;
  }

  private static List<PendingLine> pending(long timestampMillis, LogLevel level, List<String> texts) {
    return texts.stream().map(text -> new PendingLine(timestampMillis, level, text)).toList();
  }

  /** The head is full: say so in the log, then hold every later line back in a ring. */
  private void startTail(long now) {
    limitReached = true;
    publish(EncodedAppend.of(extent, now, LogLevel.WARNING,
        "Log limit reached: this job's log is over " + LogLimit.humanBytes(limit.headBytes()) + " (limit "
            + LogLimit.humanBytes(limit.maxBytes()) + "). The job goes on; live output pauses here. When the job ends,"
            + " the log keeps its last " + LogLimit.humanBytes(limit.tailBytes()) + " after a line saying how much was left out."));
    try {
      ring = TailRing.start(files, limit.tailBytes(), extent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start holding back the tail of the log of job " + jobId, e);
    }
    LOG.warn("{} - log limit of {} reached; holding back the tail", jobId, LogLimit.humanBytes(limit.maxBytes()));
  }

  /**
   * Appends what the ring keeps: a line saying how much was left out, then the last lines. Called
   * with the lock held when sealing, and on open when a crash interrupted it (the files were then
   * cut back to the head, and the same lines get the same seqs again).
   */
  private void appendTail() {
    TailRing held = ring;
    if (held == null) return;
    TailRing.Selection kept = held.select();
    publish(EncodedAppend.ofLines(extent, List.of(new PendingLine(clock.millis(), LogLevel.WARNING,
        "\u2026 " + String.format(Locale.ROOT, "%,d", kept.leftOutLines()) + " lines ("
            + LogLimit.humanBytes(kept.leftOutBytes()) + ") left out \u2026"))));
    held.forEachKept(kept, TAIL_BATCH_LINES, batch -> publish(EncodedAppend.ofLines(extent, batch)));
    try {
      if (durable) channels.force();
      held.delete();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish the tail of the log of job " + jobId, e);
    }
    ring = null;
    LOG.info("{} - log tail appended: {} lines kept, {} left out", jobId, kept.keptLines(), kept.leftOutLines());
  }

  /** On open, after a crash during {@link #appendTail}: cut back to the head and do it again. */
  synchronized void redoInterruptedTail() {
    torn = true;
    appendTail();
  }

  /**
   * why this order: text, then basic index, then line index, so a crash at any point leaves an
   * index that names only text that is there; repair then drops the unindexed rest.
   */
  private void write(LogExtent at, ByteBuffer text, ByteBuffer basic, ByteBuffer index) {
    try {
      writeAt(at, text, basic, index);
    } catch (ClosedChannelException e) {
      reopen();
      // why: another thread's interrupt (say the forcer's, at shutdown) may have closed the
      // channels under us; this thread was not interrupted, so the append deserves one more try
      if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
        throw new UncheckedIOException("append to the log of job " + jobId + " interrupted", e);
      }
      try {
        writeAt(at, text.rewind(), basic.rewind(), index.rewind());
      } catch (IOException again) {
        reopen();
        throw new UncheckedIOException("cannot append to the log of job " + jobId, again);
      }
    } catch (IOException e) {
      reopen();
      throw new UncheckedIOException("cannot append to the log of job " + jobId, e);
    }
  }

  private void writeAt(LogExtent at, ByteBuffer text, ByteBuffer basic, ByteBuffer index)
      throws IOException {
    cutBackIfTorn(at);
    Channels open = channels;
    FileIo.writeFully(open.text(), text, at.textBytes());
    FileIo.writeFully(open.basic(), basic, at.basicLines() * Long.BYTES);
    FileIo.writeFully(open.index(), index, at.lines() * RECORD_BYTES);
  }


  private void cutBackIfTorn(LogExtent at) throws IOException {
    if (!torn) return;
    Channels open = channels;
    open.text().truncate(at.textBytes());
    open.basic().truncate(at.basicLines() * Long.BYTES);
    open.index().truncate(at.lines() * RECORD_BYTES);
    torn = false;
  }

  /**
   * why: an interrupt during a write closes the channel for good and may leave part of the lines
   * written; reopen, and have the next append first cut the files back to the last whole append,
   * so no seq ever names a line that was not acknowledged.
   */
  private void reopen() {
    torn = true;
    channels.close(jobId);
    try {
      channels = Channels.open(files);
    } catch (IOException e) {
      LOG.error("{} - cannot reopen the log after a failed append", jobId, e);
    }
  }

  private void cutBackIfTornOrFail() {
    try {
      cutBackIfTorn(extent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seal the log of job " + jobId, e);
    }
  }

  ListenerRegistration addListener(JobLogListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Forces written lines to the disk when some were appended since the last force. */
  void forceIfDirty() {
    if (!dirty) return;
    dirty = false;
    try {
      channels.force();
      TailRing held = ring;
      if (held != null) held.force();
    } catch (IOException e) {
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
    cutBackIfTornOrFail();
    appendTail();
    try {
      if (durable) channels.force();
      SealMarker.write(files, extent, durable);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seal the log of job " + jobId, e);
    }
    sealed = true;
    channels.close(jobId);
    long lastSeq = extent.lines();
    for (JobLogListener listener : listeners) {
      try {
        listener.sealed(lastSeq);
      } catch (RuntimeException e) {
        LOG.error("{} - a listener of the log failed", jobId, e);
      }
    }
    listeners.clear();
    return true;
  }

  /**
   * Publishes what a scope open on this thread appended, then forces and releases the files; a
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
    if (ring != null) ring.close();
    try {
      if (durable) channels.force();
    } catch (IOException e) {
      LOG.warn("{} - cannot force the log to disk", jobId, e);
    }
    channels.close(jobId);
  }
}
