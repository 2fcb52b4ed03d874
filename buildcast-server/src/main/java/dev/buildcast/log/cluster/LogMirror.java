package dev.buildcast.log.cluster;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.JobLogListeners;
import dev.buildcast.log.JobLogSegments;
import dev.buildcast.log.LinesThrough;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSegmentReader;
import dev.buildcast.log.LogSegments;
import dev.buildcast.log.PendingLine;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's local copy of a job it watches but does not run: kept through any {@link LogSegments}
 * adapter (the file one: today's format, crash-repaired on open), filled with lines that already
 * have their seqs (from the engine's stream, {@link #replicate}), and telling its listeners exactly
 * as a local log does. So {@code LogBroadcaster} and its cursors serve live watchers, late joiners
 * and {@code since} from it unchanged, from local storage. It is a cache: closing it and deleting
 * its segments loses nothing the engine (or the archive) does not hold.
 *
 * <p>{@link #append} is refused: only the job's owner gives lines seqs.
 *
 * <p>Locking: {@code this} guards replicating and sealing (one writer, the node's feed). Readers
 * use the segments' extent, which moves only after lines are stored, and never take the lock, so a
 * listener may read without deadlock; listeners hear lines under the lock, in seq order.
 */
public final class LogMirror implements JobLog {

  private static final Logger LOG = LoggerFactory.getLogger(LogMirror.class);

  private final String jobId;
  /** Null when the mirror was sealed when opened: nothing is held open then. */
  private final JobLogSegments segments;
  private final LogSegmentReader reader;
  private final LogExtent sealedExtent;
  private final JobLogListeners listeners;
  private volatile boolean sealed;
  private volatile boolean closed;
  /** Set by {@link #fail}: nothing more is mirrored, and every listener, present or later, hears it. */
  private volatile MirrorFailedException failure;

  private LogMirror(String jobId, JobLogSegments segments, LogSegmentReader reader, LogExtent sealedExtent) {
    this.jobId = jobId;
    this.listeners = new JobLogListeners(jobId);
    this.segments = segments;
    this.reader = reader;
    this.sealedExtent = sealedExtent;
    this.sealed = sealedExtent != null;
  }

  /**
   * Opens {@code jobId}'s mirror in {@code store}, creating it when new; whatever a crash tore is
   * repaired first, so the mirror holds a whole prefix of the job's lines.
   *
   * @throws java.io.UncheckedIOException when the storage cannot be opened or repaired
   */
  public static LogMirror open(String jobId, LogSegments store) {
    Optional<LogExtent> sealedAt = store.sealedExtent(jobId);
    if (sealedAt.isPresent()) return new LogMirror(jobId, null, store.reader(jobId), sealedAt.get());
    JobLogSegments opened = store.openForAppend(jobId);
    LogMirror mirror = new LogMirror(jobId, opened, opened.reader(), null);
    // why: a seal that could not be trusted still says the job ended; seal the repaired copy again
    if (opened.wasSealed()) mirror.seal();
    return mirror;
  }

  @Override
  public String jobId() {
    return jobId;
  }

  private LogExtent extent() {
    return segments == null ? sealedExtent : segments.extent();
  }

  /**
   * Stores lines the engine accepted, after those held: lines the mirror already holds are
   * skipped (a batch may start before the mirror's end), the rest must continue it.
   *
   * @param lines contiguous seqs
   * @return the lines stored now (and told to the listeners), possibly none
   * @throws IllegalArgumentException when the lines would leave a hole (the message names the
   *     mirror's last seq and the first seq given), are not contiguous, or a text holds a line break
   * @throws IllegalStateException after the seal or {@link #close()}
   * @throws java.io.UncheckedIOException when writing failed; the mirror then holds none of them
   */
  public synchronized List<LogLine> replicate(List<LogLine> lines) {
    if (sealed) throw new IllegalStateException("the mirror of job " + jobId + " is sealed");
    if (failure != null) throw new IllegalStateException("the mirror of job " + jobId + " failed: " + failure.getMessage());
    if (closed) throw new IllegalStateException("the mirror of job " + jobId + " is closed");
    AcceptedLines.requireContiguous(lines);
    long held = segments.extent().lines();
    long first = lines.get(0).seq();
    if (first > held + 1) {
      throw new IllegalArgumentException("the mirror of job " + jobId + " holds lines up to seq " + held
          + "; lines starting at seq " + first + " would leave a hole");
    }
    List<LogLine> fresh = lines.subList((int) Math.min(lines.size(), held + 1 - first), lines.size());
    if (fresh.isEmpty()) return List.of();
    List<byte[]> bytes = new ArrayList<>(fresh.size());
    for (LogLine line : fresh) {
      // why: a line break inside a text would split it into two lines on disk, shifting every seq
      if (line.text().indexOf('\n') >= 0 || line.text().indexOf('\r') >= 0) {
        throw new IllegalArgumentException("line " + line.seq() + " of job " + jobId + " holds a line break; not mirrored");
      }
      bytes.add(PendingLine.bytes(line.text()));
    }
    List<LogLine> stored = List.copyOf(fresh);
    segments.append(stored, bytes);
    listeners.appended(stored);
    return stored;
  }

  /** Only the owner numbers lines: a mirror takes them through {@link #replicate}. */
  @Override
  public List<LogLine> append(LogLevel level, String text) {
    throw new IllegalStateException("the log of job " + jobId + " is a mirror; its owner node appends to it");
  }

  @Override
  public long lastSeq() {
    return extent().lines();
  }

  @Override
  public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
    return reader.read(extent(), afterSeq, filter, maxLines);
  }

  @Override
  public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    return reader.readThrough(extent(), afterSeq, throughSeq, filter, maxBytes);
  }

  @Override
  public InputStream openText() {
    return reader.openText(extent());
  }

  @Override
  public long textBytes() {
    return extent().textBytes();
  }

  @Override
  public ListenerRegistration addListener(JobLogListener listener) {
    if (sealed) return () -> {};
    ListenerRegistration registration = listeners.add(listener);
    // why after the add: a fail() under way either tells this listener or is seen here; told once either way
    MirrorFailedException failed = failure;
    if (failed != null) listeners.failed(failed);
    return registration;
  }

  /**
   * The job's stream holds an entry this mirror cannot take ({@code problem} says which and why):
   * stops mirroring and tells every listener, now and later, with a {@link MirrorFailedException}.
   * The lines held stay readable; the mirror is not sealed (the job may go on elsewhere). A mirror
   * opened again later starts over from its end. No-op once sealed or failed.
   */
  public synchronized void fail(String problem) {
    if (sealed || failure != null) return;
    failure = new MirrorFailedException(jobId, lastSeq(), problem);
    LOG.error("{} - {}", jobId, failure.getMessage());
    listeners.failed(failure);
  }

  /** Why the mirror stopped, when {@link #fail} was called. */
  public Optional<MirrorFailedException> failure() {
    return Optional.ofNullable(failure);
  }

  /** The job's stream carried the seal: no more lines; listeners hear it after the last one. */
  @Override
  public synchronized void seal() {
    if (sealed || failure != null) return;
    if (closed) throw new IllegalStateException("the mirror of job " + jobId + " is closed");
    // why not durable: a mirror is a cache; a torn one is repaired or fetched again
    segments.seal(false);
    sealed = true;
    listeners.sealed(segments.extent().lines());
  }

  @Override
  public boolean isSealed() {
    return sealed;
  }

  /** Releases what the mirror holds open; reads keep working, replicating stops. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (segments != null && !sealed) segments.close(false);
  }
}
