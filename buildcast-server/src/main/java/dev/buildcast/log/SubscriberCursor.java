package dev.buildcast.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: the subscriber's cursor into the detailed log and its catch-up reader.
 *
 * <p>Locking: {@link #mode} changes by compare-and-set, so exactly one party moves it out of each
 * state (the catch-up task owns {@code CATCHING_UP}, the job's deliveries own {@code LIVE}, the
 * writable callback owns {@code WAITING}). {@link #offering} is held while a catch-up batch is
 * offered and while the subscription ends, so once {@link #cancel()} returns nothing more is
 * offered; live offers are fenced by the job's lock, which cancel takes after. {@link #cursor} is
 * written only by the party owning the mode and is volatile for readers of {@link #lastSeq()}.
 */
final class SubscriberCursor implements LogSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriberCursor.class);

  private enum Mode {
    LIVE,
    CATCHING_UP,
    WAITING_FOR_WRITABLE,
    ENDED
  }

  private final JobFanOut job;
  private final JobLog log;
  private final LogFilter filter;
  private final LogSubscriber subscriber;
  private final ReentrantLock offering = new ReentrantLock();
  private final AtomicReference<Mode> mode;
  private volatile long cursor;

  SubscriberCursor(
      JobFanOut job,
      JobLog log,
      LogFilter filter,
      LogSubscriber subscriber,
      long cursor,
      boolean live) {
    this.job = job;
    this.log = log;
    this.filter = filter;
    this.subscriber = subscriber;
    this.cursor = cursor;
    this.mode = new AtomicReference<>(live ? Mode.LIVE : Mode.CATCHING_UP);
  }

  LogFilter filter() {
    return filter;
  }

  @Override
  public long lastSeq() {
    return cursor;
  }

  @Override
  public boolean isLive() {
    return mode.get() == Mode.LIVE;
  }

  @Override
  public boolean isEnded() {
    return mode.get() == Mode.ENDED;
  }

  boolean isCatchingUp() {
    return mode.get() == Mode.CATCHING_UP;
  }

  @Override
  public void cancel() {
    offering.lock();
    try {
      if (mode.getAndSet(Mode.ENDED) == Mode.ENDED) return;
    } finally {
      offering.unlock();
    }
    job.remove(this);
  }

  // ---- live side: called by the job under its lock

  boolean offerLive(LogBatch batch) {
    try {
      return subscriber.offer(batch);
    } catch (RuntimeException e) {
      fail(e);
      return true;
    }
  }

  void advanceTo(long throughSeq) {
    if (throughSeq > cursor) cursor = throughSeq;
  }

  /** Lines it needed left the live batches unsent: read them from the log, from the cursor. */
  void catchUpFromLog() {
    if (mode.compareAndSet(Mode.LIVE, Mode.CATCHING_UP)) job.startCatchUp(this);
  }

  void waitUntilWritable() {
    if (mode.compareAndSet(Mode.LIVE, Mode.WAITING_FOR_WRITABLE)) whenWritable();
  }

  boolean becomeLive() {
    return mode.compareAndSet(Mode.CATCHING_UP, Mode.LIVE);
  }

  /** The sealed log is delivered to the end: tell the subscriber, once. */
  void finish() {
    offering.lock();
    try {
      if (mode.getAndSet(Mode.ENDED) != Mode.ENDED) subscriber.caughtUpToEnd();
    } catch (RuntimeException e) {
      LOG.warn("{} - a log subscriber failed when told it caught up", log.jobId(), e);
    } finally {
      offering.unlock();
    }
  }

  void fail(Exception cause) {
    offering.lock();
    try {
      if (mode.getAndSet(Mode.ENDED) == Mode.ENDED) return;
      if (cause instanceof LogUnfollowableException) {
        LOG.debug("{} - log subscription ended: {}", log.jobId(), cause.getMessage());
      } else {
        LOG.warn("{} - log subscription failed", log.jobId(), cause);
      }
      subscriber.failed(cause);
    } catch (RuntimeException e) {
      LOG.warn("{} - a log subscriber failed when told of a failure", log.jobId(), e);
    } finally {
      offering.unlock();
    }
    job.remove(this);
  }

  // ---- catch-up side: runs on the readers executor, one task at a time per subscription

  /** Reads from the log at the cursor and offers chunk after chunk until live, refused or ended. */
  void catchUp() {
    try {
      while (isCatchingUp()) {
        long head = log.lastSeq();
        long from = cursor;
        if (from < head) {
          if (!offerChunk(from, head)) return;
          continue;
        }
        switch (job.joinLive(this)) {
          case JOINED, FINISHED, ENDED -> {
            return;
          }
          case BEHIND -> {
            // lines arrived since head was read, so this handle must show more; if it does not,
            // it is not a handle on the log the job's listener hears, and reading on would spin
            if (log.lastSeq() <= from) {
              fail(new IllegalStateException("the log handle lags the job's live head"));
              return;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * Reads and offers the lines after {@code from} up to {@code head}, at most to the end of the
   * chunk {@code from} lies in (chunks end on multiples of the chunk size, in seqs of the detailed
   * log). A read to the chunk's end is taken from, or kept in, the batches shared with other
   * subscribers ({@link SharedCatchUpBatches}), whether it starts at the chunk's start or inside it
   * (the live subscribers a delivery sends to catch-up all start at the same cursor); a kept one is
   * offered as it is when it has this subscriber's encoding, else its lines are read again and the
   * encoding made is kept with it.
   *
   * @return false when the subscriber refused it (it now waits for writable) or ended
   */
  private boolean offerChunk(long from, long head) {
    int chunk = job.catchUpChunkLines();
    long chunkEnd = from - from % chunk + chunk;
    long through = Math.min(chunkEnd, head);
    boolean toChunkEnd = through == chunkEnd;
    SharedCatchUpBatches shared = job.sharedCatchUpBatches();
    LogBatch kept = toChunkEnd ? shared.find(job.jobId(), filter, from) : null;
    Object key = subscriber.encodingKey();
    LogBatch batch = kept != null && key != null && kept.hasEncoding(key) ? kept : null;
    if (batch == null) {
      // why through a seq known to be written: the batch's throughSeq must be true, every
      // matching line up to it included; a read cut short by its bytes says where it stopped
      LinesThrough read = log.readThrough(from, through, filter, JobLog.READ_CHUNK_BYTES);
      if (read.lines().isEmpty()) {
        cursor = read.throughSeq();
        return true;
      }
      if (kept != null && read.throughSeq() == kept.throughSeq()) {
        // its lines read again, so that the encoding this subscriber makes is kept with the others
        batch = kept.withLines(read.lines());
      } else {
        batch = new LogBatch(from, read.throughSeq(), filter, read.lines());
        if (toChunkEnd && read.throughSeq() == chunkEnd) shared.keep(job.jobId(), batch);
      }
    }
    offering.lock();
    try {
      if (!isCatchingUp()) return false;
      if (subscriber.offer(batch)) {
        cursor = batch.throughSeq();
        return true;
      }
      mode.set(Mode.WAITING_FOR_WRITABLE);
    } finally {
      offering.unlock();
    }
    // why outside the lock: the callback may start the next catch-up task at once
    whenWritable();
    return false;
  }

  private void whenWritable() {
    try {
      subscriber.whenWritable(this::resume);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** The subscriber can take more: catch up from the cursor (once per refusal). */
  private void resume() {
    if (mode.compareAndSet(Mode.WAITING_FOR_WRITABLE, Mode.CATCHING_UP)) job.startCatchUp(this);
  }
}
