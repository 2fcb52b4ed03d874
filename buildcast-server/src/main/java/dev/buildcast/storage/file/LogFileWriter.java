package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.log.AppendCounter;
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

  /** Handles open on this writer; guarded by the owning store's lock. */
  int handles;

  private record Channels(FileChannel text, FileChannel basic, FileChannel index) {

    static Channels open(LogFiles files) throws IOException {
      return new Channels(openForAppend(files.text()), openForAppend(files.basicIndex()),
          openForAppend(files.index()));
    }

    private static FileChannel openForAppend(java.nio.file.Path path) throws IOException {
      return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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

  synchronized List<LogLine> append(LogLevel level, String text) {
    if (sealed) throw new IllegalStateException("the log of job " + jobId + " is sealed");
    if (closed) throw new IllegalStateException("the log of job " + jobId + " is closed");
    long now = clock.millis();
    EncodedAppend encoded = EncodedAppend.of(extent, now, level, text);
    counter.appended(encoded.lines().size(), encoded.after().textBytes() - extent.textBytes());
    if (ring != null) {
      ring.add(pending(encoded.lines()));
      dirty = true;
      return List.of();
    }
    if (!limitReached && overHead(encoded.after().textBytes())) {
      startTail(now);
      ring.add(pending(encoded.lines()));
      return List.of();
    }
    return publish(encoded);
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

  private static List<PendingLine> pending(List<LogLine> lines) {
    return lines.stream().map(l -> new PendingLine(l.timestampMillis(), l.level(), l.text())).toList();
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
    if (sealOnce()) onSealed.run();
  }

  private synchronized boolean sealOnce() {
    if (sealed) return false;
    if (closed) throw new IllegalStateException("the log of job " + jobId + " is closed");
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

  /** Forces and releases the files; a later open of the log starts a new writer. */
  synchronized void close() {
    if (closed) return;
    closed = true;
    if (sealed) return;
    if (ring != null) ring.close();
    try {
      if (durable) channels.force();
    } catch (IOException e) {
      LOG.warn("{} - cannot force the log to disk", jobId, e);
    }
    channels.close(jobId);
  }
}
