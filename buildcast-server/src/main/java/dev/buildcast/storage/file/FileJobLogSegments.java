package dev.buildcast.storage.file;

import static dev.buildcast.storage.file.LineIndex.RECORD_BYTES;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.HeldBackLines;
import dev.buildcast.log.JobLogSegments;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSegmentReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's log files open for appending: {@code detailed.log}, {@code detailed.basic.idx} and
 * {@code detailed.idx}, written in that order so that after a crash the index never names text
 * that is not there ({@link LogFileRepair} drops the unindexed rest).
 *
 * <p>Locking: the writing methods are called under the log writer's lock. {@link #extent} is
 * volatile and published after the writes it describes, so readers never take a lock.
 */
final class FileJobLogSegments implements JobLogSegments {

  private static final Logger LOG = LoggerFactory.getLogger(FileJobLogSegments.class);

  private final LogFiles files;
  private final boolean wasSealed;
  private final TailRing ring;
  private final LogFileReader reader;
  private volatile LogExtent extent;
  private volatile Channels channels;
  private volatile boolean closed;
  /** Where appends are encoded; guarded by the writer's lock. */
  private final EncodedAppend.Room room = new EncodedAppend.Room();
  /** Part of a failed append may be on disk past {@link #extent}; guarded by the writer's lock. */
  private boolean torn;

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

  /** Opens the files, already repaired to {@code extent}. */
  FileJobLogSegments(LogFiles files, LogExtent extent, boolean wasSealed, TailRing ring) throws IOException {
    this.files = files;
    this.extent = extent;
    this.wasSealed = wasSealed;
    this.ring = ring;
    this.reader = new LogFileReader(files);
    this.channels = Channels.open(files);
  }

  private String jobId() {
    return files.jobId();
  }

  @Override
  public LogExtent extent() {
    return extent;
  }

  @Override
  public LogSegmentReader reader() {
    return reader;
  }

  @Override
  public boolean wasSealed() {
    return wasSealed;
  }

  @Override
  public Optional<HeldBackLines> heldBack() {
    return Optional.ofNullable(ring);
  }

  @Override
  public HeldBackLines startHoldingBack(long tailBytes, LogExtent head) {
    try {
      return TailRing.start(files, tailBytes, head);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start holding back the tail of the log in " + files.dir(), e);
    }
  }

  @Override
  public void append(List<LogLine> lines, List<byte[]> bytes) {
    LogExtent at = extent;
    if (lines.isEmpty()) return;
    if (lines.get(0).seq() != at.lines() + 1) {
      throw new IllegalArgumentException("line " + lines.get(0).seq() + " does not follow " + at.lines());
    }
    EncodedAppend encoded = EncodedAppend.ofEncoded(at, lines, bytes, room);
    write(at, encoded.text(), encoded.basicIndex(), encoded.index());
    extent = encoded.after();
  }

  @Override
  public void truncate(LogExtent to) {
    if (to.lines() > extent.lines()) throw new IllegalArgumentException("cannot truncate forward to " + to);
    extent = to;
    // why lazily: the next write (or the seal) cuts the files back before anything else
    torn = true;
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
        throw new UncheckedIOException("append to the log of job " + jobId() + " interrupted", e);
      }
      try {
        writeAt(at, text.rewind(), basic.rewind(), index.rewind());
      } catch (IOException again) {
        reopen();
        throw new UncheckedIOException("cannot append to the log of job " + jobId(), again);
      }
    } catch (IOException e) {
      reopen();
      throw new UncheckedIOException("cannot append to the log of job " + jobId(), e);
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
    channels.close(jobId());
    try {
      channels = Channels.open(files);
    } catch (IOException e) {
      LOG.error("{} - cannot reopen the log after a failed append", jobId(), e);
    }
  }

  @Override
  public void force() {
    try {
      channels.force();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force the log of job " + jobId() + " to disk", e);
    }
  }

  @Override
  public void seal(boolean durable) {
    try {
      cutBackIfTorn(extent);
      if (durable) channels.force();
      SealMarker.write(files, extent, durable);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seal the log of job " + jobId(), e);
    }
    closed = true;
    channels.close(jobId());
  }

  @Override
  public void close(boolean durable) {
    if (closed) return;
    closed = true;
    try {
      if (durable) channels.force();
    } catch (IOException e) {
      LOG.warn("{} - cannot force the log to disk", jobId(), e);
    }
    channels.close(jobId());
  }
}
