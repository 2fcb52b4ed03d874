package dev.buildcast.log.cluster;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.PendingLine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one running job's log from its spool (the owner's local log, where seqs are assigned) to
 * the engine's stream, on the owner. Lines become visible ({@link ShippingListener#accepted}) only
 * once the engine accepted them.
 *
 * <p>Design: the spool's listener only records what was published (and keeps a bounded copy of
 * the latest lines), so the job's writer never waits for the engine. At most one append is in
 * flight; whatever is published meanwhile goes in the next one, up to {@link #MAX_BATCH_BYTES}
 * (so a quiet job's line leaves at once, and appends grow only under load). An append that failed
 * (engine unreachable, answer lost) is retried after a growing delay with exactly the same
 * arguments, which the engine recognises when it had landed. A {@code GAP} (the engine lost a
 * tail) makes the shipper send again from the engine's last seq + 1, read from the spool: the same
 * seqs and the same text; marks it had accepted after that point are sent again with their
 * numbers. A {@code GAP} answered again at the same engine seq, with nothing accepted between (the
 * engine lost a mark another node wrote, whose number this shipper cannot send again), is retried
 * after the growing delay too, not at once: sent back to back it would spin the shipping thread and
 * Redis for as long as it lasts. {@code FENCED} stops it for good.
 *
 * <p>Concurrency: {@code this} guards the fields below. Appends run one at a time as tasks on the
 * {@code executor} (one task queued or running at most, {@link #running}), and the listener is
 * called only from those tasks, so it hears lines in order. Spool reads happen outside the lock.
 */
public final class LogShipper implements JobLogListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);

  /** Most text one append carries (one line more when a single line is larger). */
  public static final int MAX_BATCH_BYTES = 256 * 1024;
  /**
   * Most text of published lines not yet accepted kept in memory; beyond it the oldest are read
   * back from the spool. why 4 MiB: reading back costs the shipping thread a disk read and a
   * decode per line just when it is behind; 16 appends' worth rides out a burst of a loud job.
   */
  static final int MAX_MEMORY_BYTES = 16 * MAX_BATCH_BYTES;
  static final Duration FIRST_RETRY = Duration.ofMillis(100);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);
  private static final int SPOOL_READ_LINES = 1000;

  /** One append: lines after {@code previousLastSeq}, or a mark. Retried unchanged. */
  private record Attempt(long previousLastSeq, List<LogLine> lines, PlannedMark mark) {}

  /** A published line and its size as stored ({@link PendingLine#byteCount}), counted once. */
  private record Published(LogLine line, int bytes) {}

  /** A mark to ship after line {@code afterSeq} as the job's {@code number}-th mark. */
  private record PlannedMark(long afterSeq, long number, LogMark mark) {}

  private final String jobId;
  private final LogOwner owner;
  private final AcceptedLines engine;
  private final JobLog spool;
  private final Executor executor;
  private final RetryTimer retries;
  private final ShippingListener listener;

  /** Published lines after {@link #engineThrough} (the oldest may have been dropped, see {@link #MAX_MEMORY_BYTES}). */
  private final Deque<Published> recent = new ArrayDeque<>();
  private long recentBytes;
  private long publishedThrough;
  /** What the engine holds as far as this shipper knows: the next append continues it. */
  private long engineThrough;
  /** What the listener was told. */
  private long visibleThrough;
  private long visibleMarks;
  private long nextMarkNumber;
  private final Deque<PlannedMark> marksDue = new ArrayDeque<>();
  private final List<PlannedMark> marksAccepted = new ArrayList<>();
  private Attempt inFlight;
  private boolean running;
  private boolean fenced;
  private boolean closed;
  private boolean sealAccepted;
  private Duration nextRetry = FIRST_RETRY;
  /** The engine's last seq named by the latest answer when that was a {@code GAP}; -1 after any other answer. */
  private long gapAt = -1;
  private ListenerRegistration registration;

  /**
   * @param acceptedThrough the engine's last seq for the job when this owner took it (lines the
   *     spool holds up to it are accepted and were shown)
   * @param lastMark the number of the engine's last mark for the job then
   */
  public LogShipper(String jobId, LogOwner owner, AcceptedLines engine, JobLog spool, long acceptedThrough,
      long lastMark, Executor executor, RetryTimer retries, ShippingListener listener) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.retries = Objects.requireNonNull(retries, "retries");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.engineThrough = acceptedThrough;
    this.visibleThrough = acceptedThrough;
    this.visibleMarks = lastMark;
    this.nextMarkNumber = lastMark + 1;
  }

  /** Starts listening to the spool and ships what it holds beyond what was accepted. */
  public void start() {
    synchronized (this) {
      // why this order: a line published meanwhile is both counted here and heard; appended()
      // ignores what publishedThrough covers, so none is missed or doubled
      registration = spool.addListener(this);
      publishedThrough = Math.max(publishedThrough, spool.lastSeq());
      if (spool.isSealed()) planMark(publishedThrough, LogMark.seal());
    }
    kick();
  }

  @Override
  public void appended(List<LogLine> lines) {
    synchronized (this) {
      for (LogLine line : lines) {
        if (line.seq() <= publishedThrough) continue;
        Published published = new Published(line, PendingLine.byteCount(line.text()));
        recent.addLast(published);
        recentBytes += published.bytes();
        publishedThrough = line.seq();
      }
      while (recentBytes > MAX_MEMORY_BYTES && recent.size() > 1) {
        recentBytes -= recent.removeFirst().bytes();
      }
    }
    kick();
  }

  @Override
  public void sealed(long lastSeq) {
    synchronized (this) {
      planMark(lastSeq, LogMark.seal());
    }
    kick();
  }

  /** Ships a status event after the lines published so far. */
  public void publishStatus(String payload) {
    synchronized (this) {
      planMark(publishedThrough, LogMark.status(payload));
    }
    kick();
  }

  private void planMark(long afterSeq, LogMark mark) {
    boolean sealPlanned = marksDue.stream().anyMatch(m -> m.mark().isSeal())
        || marksAccepted.stream().anyMatch(m -> m.mark().isSeal());
    if (sealPlanned) return;
    marksDue.addLast(new PlannedMark(Math.max(afterSeq, publishedThrough), nextMarkNumber++, mark));
  }

  /** Lines published but not yet accepted (for the shipping-lag metric). */
  public synchronized long lagLines() {
    return publishedThrough - visibleThrough;
  }

  /** Bytes of published lines held in memory for shipping (at most {@link #MAX_MEMORY_BYTES} and one line). */
  synchronized long heldBytes() {
    return recentBytes;
  }

  public synchronized boolean isFenced() {
    return fenced;
  }

  /** Whether the seal was accepted: everything is shipped and nothing more will be. */
  public synchronized boolean isFinished() {
    return sealAccepted;
  }

  private void kick() {
    synchronized (this) {
      if (running || !canShip()) return;
      running = true;
    }
    executor.execute(this::ship);
  }

  private boolean canShip() {
    if (fenced || closed) return false;
    return inFlight != null || !marksDue.isEmpty() || engineThrough < publishedThrough;
  }

  /** One append (a new one, or the one in flight again), then the next if there is work. */
  private void ship() {
    Attempt attempt;
    synchronized (this) {
      if (!canShip()) {
        running = false;
        return;
      }
      if (inFlight == null) inFlight = plan();
      attempt = inFlight;
    }
    AppendResult result;
    try {
      result = send(attempt);
    } catch (RuntimeException e) {
      retryLater(e);
      return;
    }
    if (answered(attempt, result)) {
      scheduleRetry("the engine answered GAP at seq " + result.engineLastSeq() + " again, with nothing accepted since");
      return;
    }
    synchronized (this) {
      if (!canShip()) {
        running = false;
        return;
      }
    }
    executor.execute(this::ship);
  }

  private AppendResult send(Attempt attempt) {
    if (attempt.mark() != null) {
      PlannedMark mark = attempt.mark();
      return engine.mark(jobId, owner, mark.afterSeq(), mark.number(), mark.mark());
    }
    return engine.append(jobId, owner, attempt.previousLastSeq(), attempt.lines());
  }

  private void retryLater(RuntimeException failure) {
    scheduleRetry("shipping the log failed: " + failure);
  }

  private void scheduleRetry(String why) {
    Duration delay;
    synchronized (this) {
      delay = nextRetry;
      nextRetry = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
    }
    LOG.warn("{} - {}; next try in {} ms", jobId, why, delay.toMillis());
    // why the task stays marked running: the same attempt goes again, and nothing else may start
    retries.schedule(() -> executor.execute(this::ship), delay);
  }

  /** What to send next, with the lock held: a mark due now, else the next lines. */
  private Attempt plan() {
    PlannedMark mark = marksDue.peekFirst();
    if (mark != null && mark.afterSeq() <= engineThrough) return new Attempt(engineThrough, List.of(), mark);
    long upTo = mark != null ? Math.min(mark.afterSeq(), publishedThrough) : publishedThrough;
    return new Attempt(engineThrough, nextLines(engineThrough, upTo), null);
  }

  /** Lines after {@code after} up to {@code upTo}, at most one batch: from memory, else the spool. */
  private List<LogLine> nextLines(long after, long upTo) {
    List<LogLine> batch = new ArrayList<>();
    long bytes = 0;
    Published oldest = recent.peekFirst();
    if (oldest != null && oldest.line().seq() <= after + 1) {
      // why no skipping: accepted lines leave the deque (forgetAccepted), so it starts at or just before after + 1
      for (Published published : recent) {
        LogLine line = published.line();
        if (line.seq() <= after) continue;
        if (line.seq() > upTo || (!batch.isEmpty() && bytes + published.bytes() > MAX_BATCH_BYTES)) break;
        batch.add(line);
        bytes += published.bytes();
      }
      return batch;
    }
    // why reading under the lock is safe: a log's read never waits for its writer (JobLog). why
    // a read bounded by the batch's bytes: one of a fixed count of lines held up to 1,000 lines
    // of 64 KiB (64 MB) to ship 256 KiB of them, and read them again for the next batch
    long cursor = after;
    while (cursor < upTo) {
      List<LogLine> read = spool.readThrough(cursor, upTo, LogFilter.ALL, MAX_BATCH_BYTES).lines();
      if (read.isEmpty()) break;
      for (LogLine line : read) {
        long size = textBytes(line);
        if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) return batch;
        batch.add(line);
        bytes += size;
        cursor = line.seq();
      }
    }
    if (batch.isEmpty()) throw new IllegalStateException("the spool of job " + jobId + " has no line after " + after);
    return batch;
  }

  private static long textBytes(LogLine line) {
    return PendingLine.byteCount(line.text());
  }

  /**
   * Drops the lines the engine holds from memory, with the lock held. why: the deque is walked
   * from its start for every batch, so keeping accepted lines cost a walk over up to {@link
   * #MAX_MEMORY_BYTES} of them per append; a line the engine loses again is read from the spool.
   */
  private void forgetAccepted() {
    while (!recent.isEmpty() && recent.peekFirst().line().seq() <= engineThrough) {
      recentBytes -= recent.removeFirst().bytes();
    }
  }

  /** @return whether the next attempt must wait (a {@code GAP} that made no progress) */
  private boolean answered(Attempt attempt, AppendResult result) {
    List<LogLine> revealBatch = null;
    long revealAfter = 0;
    LogMark markReveal = null;
    boolean fencedNow = false;
    boolean stuck;
    synchronized (this) {
      inFlight = null;
      stuck = result.outcome() == AppendResult.Outcome.GAP && gapAt == result.engineLastSeq();
      gapAt = result.outcome() == AppendResult.Outcome.GAP ? result.engineLastSeq() : -1;
      // why keep the delay growing: only an answer that moved on starts the back-off over
      if (!stuck) nextRetry = FIRST_RETRY;
      switch (result.outcome()) {
        case ACCEPTED, DUPLICATE -> {
          if (attempt.mark() != null) {
            PlannedMark mark = marksDue.removeFirst();
            marksAccepted.add(mark);
            if (mark.number() > visibleMarks) {
              visibleMarks = mark.number();
              markReveal = mark.mark();
            }
            if (mark.mark().isSeal()) sealAccepted = true;
          } else {
            engineThrough = attempt.lines().get(attempt.lines().size() - 1).seq();
            forgetAccepted();
            if (engineThrough > visibleThrough) {
              revealBatch = attempt.lines();
              revealAfter = visibleThrough;
              visibleThrough = engineThrough;
            }
          }
        }
        case GAP -> lostTail(result.engineLastSeq());
        case FENCED -> {
          fenced = true;
          fencedNow = true;
        }
      }
    }
    // why outside the lock: the listener may tell sockets; calls stay ordered, one task runs
    if (revealBatch != null) reveal(revealBatch, revealAfter);
    if (markReveal != null) listener.marked(markReveal);
    if (fencedNow) {
      LOG.warn("{} - fenced off the log by the engine (its last seq {}): {} lost the job", jobId,
          result.engineLastSeq(), owner.token());
      listener.fenced(result.engineLastSeq());
    }
    return stuck;
  }

  /**
   * Tells the listener the lines of an accepted batch it has not heard, from {@code visible + 1}:
   * when a {@code GAP} named more lines than were shown (an owner restarted on a stale count), the
   * lines between come from the spool first, so the listener still hears every line once, in order.
   * why told a spool read at a time: that gap can be most of a long job's log, which gathered into
   * one list would sit in the heap whole and reach the watchers as one batch.
   */
  private void reveal(List<LogLine> batch, long visible) {
    long first = batch.get(0).seq();
    long cursor = visible;
    while (cursor + 1 < first) {
      List<LogLine> read = spool.read(cursor, LogFilter.ALL, SPOOL_READ_LINES);
      List<LogLine> piece = new ArrayList<>(read.size());
      for (LogLine line : read) {
        if (line.seq() >= first) break;
        piece.add(line);
      }
      if (piece.isEmpty()) throw new IllegalStateException("the spool of job " + jobId + " has no line after " + cursor);
      listener.accepted(piece);
      cursor = piece.get(piece.size() - 1).seq();
    }
    List<LogLine> rest = batch.stream().filter(line -> line.seq() > visible).toList();
    if (!rest.isEmpty()) listener.accepted(rest);
  }

  /** The engine holds lines only up to {@code engineLastSeq}: ship again from there. */
  private void lostTail(long engineLastSeq) {
    LOG.warn("{} - the engine holds lines up to {} only, not {}; shipping again from the spool", jobId,
        engineLastSeq, engineThrough);
    engineThrough = Math.min(engineLastSeq, publishedThrough);
    // why again: marks accepted at or after that point may have been lost with the lines; a
    // mark that was kept is answered DUPLICATE
    List<PlannedMark> again = marksAccepted.stream().filter(m -> m.afterSeq() >= engineThrough).toList();
    marksAccepted.removeAll(again);
    for (int i = again.size() - 1; i >= 0; i--) marksDue.addFirst(again.get(i));
  }

  /** Stops listening and shipping; an append in flight finishes, nothing more starts. */
  @Override
  public void close() {
    ListenerRegistration toRemove;
    synchronized (this) {
      closed = true;
      toRemove = registration;
    }
    if (toRemove != null) toRemove.remove();
  }
}
